/**
 * Values read from the database and reused while the version they were read at stands (`Store.versionOf`
 * for the tables that decide them, or `Store.version`). The version is taken before the read, so a write
 * that lands during it leaves the entry already stale.
 */
export class VersionedCache<K, V> {
  private entries = new Map<K, { version: string | number; value: V }>();
  constructor(private readonly max = 10_000) {}

  async get(key: K, version: string | number, read: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = await read();
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { version, value });
    return value;
  }
}
