// Settings kept on this device, in IndexedDB (DESIGN.md: progress and settings live there, never audio).
//
// Implements:  a small key → number store that the app reads synchronously: open() loads everything
//              into memory before the app starts; set() updates memory at once and writes through to
//              IndexedDB. Values from the older localStorage keys ("etude.<key>") move over once.
// Does not:    keep anything but numbers and short strings, or anything about the student's audio.
// When storage is blocked (private windows, school policy) or full, the app keeps working with the
// values in memory, and onProblem(text) is called once with what that means for the student.

const DB_NAME = 'etude';
const STORE = 'settings';

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export class Settings {
  constructor({ onProblem = () => {} } = {}) {
    this.values = new Map();
    this.db = null;
    this.onProblem = onProblem;
    this.problem = '';
    this.writes = Promise.resolve();
  }

  // Loads every setting. Never rejects: without IndexedDB the settings last as long as the page.
  async open() {
    try {
      this.db = await new Promise((resolve, reject) => {
        const r = indexedDB.open(DB_NAME, 1);
        r.onupgradeneeded = () => r.result.createObjectStore(STORE);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
        r.onblocked = () => reject(new Error('the settings database is blocked by another tab'));
      });
      const tx = this.db.transaction(STORE, 'readonly');
      const store = tx.objectStore(STORE);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      keys.forEach((k, i) => this.values.set(k, values[i]));
    } catch (err) {
      this.db = null;
      this.#report(err);
    }
    this.#migrateLocalStorage();
    return this;
  }

  get(key, fallback) {
    return this.values.has(key) ? this.values.get(key) : fallback;
  }

  // Resolves when the value is on disk (or the write failed and was reported).
  set(key, value) {
    this.values.set(key, value);
    return this.#write((store) => store.put(value, key));
  }

  // Everything kept on this device, as a plain object (the "export" of DESIGN.md).
  all() {
    return Object.fromEntries(this.values);
  }

  // Forgets every setting, on disk and in memory.
  clear() {
    this.values.clear();
    return this.#write((store) => store.clear());
  }

  #write(op) {
    if (!this.db) return this.writes;
    const db = this.db;
    this.writes = this.writes.then(() => new Promise((resolve) => {
      let tx;
      try {
        tx = db.transaction(STORE, 'readwrite');
        op(tx.objectStore(STORE));
      } catch (err) {
        this.#report(err);
        resolve();
        return;
      }
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => { this.#report(tx.error); resolve(); };
    }));
    return this.writes;
  }

  #migrateLocalStorage() {
    let storage;
    try {
      storage = window.localStorage;
    } catch {
      return;  // blocked: nothing to move
    }
    for (let i = storage.length - 1; i >= 0; i--) {
      const k = storage.key(i);
      if (!k || !k.startsWith('etude.')) continue;
      const key = k.slice(6);
      const n = Number(storage.getItem(k));
      if (!this.values.has(key) && Number.isFinite(n)) this.set(key, n);
      storage.removeItem(k);
    }
  }

  #report(err) {
    if (this.problem) return;
    const name = err && err.name;
    this.problem = name === 'QuotaExceededError'
      ? 'This device is out of storage space, so your settings (like the measured timing delay) last only until you close Etude. Free some space to keep them.'
      : 'This browser does not let Etude keep settings (private window or a school policy), so they last only until you close Etude.';
    console.warn(`Etude settings: ${name || ''} ${err && err.message || err}`);
    this.onProblem(this.problem);
  }
}
