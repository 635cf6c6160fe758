// listStorageProviders (DataStoreProviderManagerImpl.getDataStoreProviders): the providers by type, any case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageProviders } from '../../src/services/storage/storagepool.service.js';

describe('storage providers', () => {
  it('lists the primary, image and image-cache providers this cloud has, whatever the case of the type', () => {
    assert.deepEqual(storageProviders('primary'), [{ name: 'DefaultPrimary', type: 'PRIMARY' }]);
    assert.deepEqual(
      storageProviders('IMAGE').map((p) => p.name),
      ['NFS', 'SMB', 'S3', 'Swift'],
    );
    assert.deepEqual(storageProviders('imagecache'), [{ name: 'NFS', type: 'ImageCache' }]);
  });
  it('refuses another type as CloudStack does', () => {
    assert.throws(() => storageProviders('object'), /Invalid parameter: object/);
  });
});
