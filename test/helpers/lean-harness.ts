// Loaded first by every shard (scripts/test-run.ts), before node:test. Node 20's test harness enables an
// async hook (init and destroy) so that `describe`/`it`/`before` find the test they were called in, and an
// uncaught exception the test it came from. With any such hook on, every promise in the process is tracked
// from birth to collection: a request in process costs 38 % more CPU (bench/profile-list.ts: 26.5 -> 36.7 ms
// a page). Here the harness's hook is never enabled; instead it is told of each test as one is found
// running, which is all `describe` and `it` need: they are called synchronously inside the test's scope,
// where `executionAsyncResource()` is that test. What is lost: `it` called after an `await` in a suite's
// body lands at the top level, and an uncaught exception is reported at the top level (the file still
// fails: the harness sets exit code 1, which test-run counts) without the name of its test.
import { AsyncResource, type HookCallbacks } from 'node:async_hooks';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const hooks = createRequire(import.meta.url)('node:async_hooks') as typeof import('node:async_hooks');
const { createHook, executionAsyncId, executionAsyncResource } = hooks;
let harness: HookCallbacks | undefined;
const told = new WeakSet<object>();
const idle = { enable: () => idle, disable: () => idle } as ReturnType<typeof createHook>;

Object.assign(hooks, {
  createHook(callbacks: HookCallbacks) {
    if (!new Error().stack?.includes('internal/test_runner/harness')) return createHook(callbacks);
    harness = callbacks;
    return idle;
  },
  executionAsyncId() {
    const id = executionAsyncId();
    const running = executionAsyncResource();
    if (harness && running instanceof AsyncResource && !told.has(running)) {
      told.add(running);
      harness.init?.(id, 'Test', 0, running);
    }
    return id;
  },
});
syncBuiltinESMExports();
