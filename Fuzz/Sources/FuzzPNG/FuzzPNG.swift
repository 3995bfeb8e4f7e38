import FuzzSupport
@_spi(Fuzzing) import SoraImg

/// One libFuzzer input: a would-be PNG, decoded by soraimg's PNG decoder (8-bit grey to RGBA,
/// libdeflate) and by libvips' loader. Where both decode it, the pixels must be the same.
/// Much faster than the prep harness (no resize, no encode), so its mutations go deeper into
/// the chunk walk, the inflate and the row filters; ASan watches their memory.
///
/// Inputs of even length have their chunks' CRCs made right first, so mutations reach the data;
/// odd lengths keep theirs, for the checksum paths.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard bytes.starts(with: PNGFuzzing.signature) else { return 0 }
    if count % 2 == 0 { bytes = PNGFuzzing.withChecksumsMadeRight(bytes) }
    // A megapixel: the corpus's and fixtures' PNGs are smaller, and a mutated header claiming
    // more is refused before anything is allocated, as prep refuses it by its own limit.
    if let disagreement = PNGDecoder.disagreement(decoding: bytes, maxPixels: 1_000_000) { fail(disagreement) }
    return 0
}
