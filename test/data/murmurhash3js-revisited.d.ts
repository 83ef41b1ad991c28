/** The reference-matching MurmurHash3 the data-hash test checks our port against (the package ships no types). */
declare module 'murmurhash3js-revisited' {
  const MurmurHash3: {
    readonly x86: { hash128(bytes: Uint8Array, seed?: number): string };
  };
  export default MurmurHash3;
}
