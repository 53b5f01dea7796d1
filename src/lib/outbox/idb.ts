// IndexedDB storage of the outbox: one object store keyed by the item's key. Plain IndexedDB
// (a dozen lines) rather than `idb` or `idb-keyval`: three calls need no library.
import type { OutboxItem, OutboxStorage } from './outbox';

const DB_NAME = 'tongxing';
const STORE = 'outbox';

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
	});
}

export class IdbStorage implements OutboxStorage {
	#db: Promise<IDBDatabase>;

	constructor(factory: IDBFactory = indexedDB) {
		const open = factory.open(DB_NAME, 1);
		open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
		this.#db = request(open);
	}

	async #store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
		return (await this.#db).transaction(STORE, mode).objectStore(STORE);
	}

	async all(): Promise<OutboxItem[]> {
		return request((await this.#store('readonly')).getAll() as IDBRequest<OutboxItem[]>);
	}

	/** Resolves once the write is committed: a tab closed right after loses nothing. */
	async #write(change: (store: IDBObjectStore) => void): Promise<void> {
		const tx = (await this.#db).transaction(STORE, 'readwrite');
		change(tx.objectStore(STORE));
		await new Promise<void>((resolve, reject) => {
			tx.oncomplete = () => resolve();
			tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write failed'));
		});
	}

	put(item: OutboxItem): Promise<void> {
		return this.#write((store) => store.put(item));
	}

	remove(key: string): Promise<void> {
		return this.#write((store) => store.delete(key));
	}
}
