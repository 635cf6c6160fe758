// The AWS SDK's waiters for tests. Amazon's own waiters poll every 15 s or more, and a waiter never polls
// sooner than its minDelay; the simulated cloud finishes a deploy in milliseconds, so a test that waited
// at one second a poll spent most of its time asleep (9 s in one test). Tests poll every 50-250 ms instead.
import type { EC2Client, waitUntilInstanceRunning } from '@aws-sdk/client-ec2';

type WaiterConfiguration = Parameters<typeof waitUntilInstanceRunning>[0];

export function quickWaiter(client: EC2Client, maxWaitTime = 60): WaiterConfiguration {
  return { client, maxWaitTime, minDelay: 0.05, maxDelay: 0.25 };
}
