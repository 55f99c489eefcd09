/**
 * CPython `set` iteration order of ZigZag `LayerDim`-like names.
 *
 * The spatial mapping generator iterates its hint set (a Python set of layer dims) and the capacity
 * limit iterates a set of dims; ties between equally good spatial mappings are broken by that
 * order (reference-cost-model Appendix A). The hash of a LayerDim is derived from SHA-512 of the
 * pickled name XOR SHA-512 of the pickled class (pickle protocol 4), reduced mod 2^61 − 1, so the
 * order is deterministic and can be emulated exactly: we replay CPython's open-addressing set
 * (8 slots to start, linear probing of 9, perturbation shift 5, resize at 3/5 fill).
 */
import { createHash } from 'node:crypto';

const MODULUS = (1n << 61n) - 1n;
/** The two ZigZag classes whose instances end up in sets whose order we need. */
export type ZigzagHashedClass = 'LayerDim' | 'OADimension';
const CLASS_MODULE = 'zigzag.datatypes';
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;

const classDigests = new Map<ZigzagHashedClass, bigint>();
const hashCache = new Map<string, bigint>();

function digestInt(bytes: Uint8Array): bigint {
  return BigInt('0x' + createHash('sha512').update(bytes).digest('hex'));
}

function pickleShortString(name: string): Uint8Array {
  const utf8 = Buffer.from(name, 'utf8');
  if (utf8.length > 255) throw new Error(`dim name too long for SHORT_BINUNICODE: ${name}`);
  const frame = utf8.length + 4; // 8c <len> <bytes> 94 2e
  const out = Buffer.alloc(11 + frame);
  out[0] = 0x80;
  out[1] = 0x04;
  out[2] = 0x95;
  out.writeBigUInt64LE(BigInt(frame), 3);
  out[11] = 0x8c;
  out[12] = utf8.length;
  utf8.copy(out, 13);
  out[13 + utf8.length] = 0x94;
  out[14 + utf8.length] = 0x2e;
  return out;
}

/** Protocol-4 pickle of a global (`module.Class`): what `pickle.dumps(cls)` produces. */
function pickleGlobal(module: string, cls: string): Uint8Array {
  const m = Buffer.from(module, 'utf8');
  const c = Buffer.from(cls, 'utf8');
  const body = Buffer.concat([
    Buffer.from([0x8c, m.length]),
    m,
    Buffer.from([0x94, 0x8c, c.length]),
    c,
    Buffer.from([0x94, 0x93, 0x94, 0x2e]),
  ]);
  const head = Buffer.alloc(11);
  head[0] = 0x80;
  head[1] = 0x04;
  head[2] = 0x95;
  head.writeBigUInt64LE(BigInt(body.length), 3);
  return Buffer.concat([head, body]);
}

function classDigest(cls: ZigzagHashedClass): bigint {
  let d = classDigests.get(cls);
  if (d === undefined) {
    d = digestInt(pickleGlobal(CLASS_MODULE, cls));
    classDigests.set(cls, d);
  }
  return d;
}

/** The (non-negative) Python hash of a ZigZag dimension object with this name. */
export function zigzagDimHash(name: string, cls: ZigzagHashedClass = 'LayerDim'): bigint {
  const key = `${cls}:${name}`;
  const cached = hashCache.get(key);
  if (cached !== undefined) return cached;
  let h = (digestInt(pickleShortString(name)) ^ classDigest(cls)) % MODULUS;
  if (h === -1n) h = -2n;
  hashCache.set(key, h);
  return h;
}

function insertClean(table: (string | undefined)[], hashes: bigint[], name: string, hash: bigint): void {
  const mask = table.length - 1;
  const maskBig = BigInt(mask);
  let perturb = hash;
  let i = Number(hash & maskBig);
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = 0; j <= probes; j++) {
      if (table[i + j] === undefined) {
        table[i + j] = name;
        hashes[i + j] = hash;
        return;
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = Number((BigInt(i) * 5n + 1n + perturb) & maskBig);
  }
}

/**
 * Iteration order of `set(names)` in CPython 3.8–3.13 when the names are ZigZag dims (LayerDim by
 * default; OADimension for served dimensions) inserted in the given order. Duplicates are ignored.
 */
export function pythonSetOrder(names: readonly string[], cls: ZigzagHashedClass = 'LayerDim'): string[] {
  let table: (string | undefined)[] = new Array<string | undefined>(8).fill(undefined);
  let hashes: bigint[] = new Array<bigint>(8).fill(0n);
  let used = 0;
  for (const name of names) {
    if (table.includes(name)) continue;
    insertClean(table, hashes, name, zigzagDimHash(name, cls));
    used++;
    const mask = table.length - 1;
    if (used * 5 >= mask * 3) {
      let size = 8;
      const minUsed = used > 50000 ? used * 2 : used * 4;
      while (size <= minUsed) size <<= 1;
      const old = table;
      const oldHashes = hashes;
      table = new Array<string | undefined>(size).fill(undefined);
      hashes = new Array<bigint>(size).fill(0n);
      for (let k = 0; k < old.length; k++) {
        const entry = old[k];
        if (entry !== undefined) insertClean(table, hashes, entry, oldHashes[k]);
      }
    }
  }
  return table.filter((n): n is string => n !== undefined);
}
