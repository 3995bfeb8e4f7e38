import FuzzSupport
@_spi(Fuzzing) import SoraImg

/// One libFuzzer input: the bytes of a would-be photo, handed to prep and to the inspector.
///
/// Prep must end in a `PrepError` or in an image of exactly the target size, in the format
/// asked for, that libvips reads back and that carries none of the input's metadata. The
/// inspector reads the same header as prep and must agree with it. A WebP also goes through
/// the RIFF walk that cleans prep's WebP output, which otherwise only sees libvips' files.
///
/// A PNG of even length has its chunks' CRCs made right first, so that mutations reach the
/// chunk data and soraimg's own PNG decoder instead of stopping at the checksum (odd lengths
/// keep theirs, for the checksum paths); where that decoder takes the PNG, its pixels must be
/// libvips'.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrep(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: count))
    if bytes.starts(with: PNGFuzzing.signature) {
        if count % 2 == 0 { bytes = PNGFuzzing.withChecksumsMadeRight(bytes) }
        if let disagreement = PNGDecoder.disagreement(decoding: bytes, maxPixels: PrepFuzzing.options.maxPixels) { fail(disagreement) }
    }
    if bytes.starts(with: Array("RIFF".utf8)), bytes.dropFirst(8).starts(with: Array("WEBP".utf8)) {
        PrepFuzzing.checkCleaning(webP: bytes)
    }
    let inspected = Result { () throws(PrepError) in try ImageInspector.inspect(.bytes(bytes), options: PrepFuzzing.options) }
    do {
        let prepared = try ImagePrep.prepare(.bytes(bytes), options: PrepFuzzing.options)
        PrepFuzzing.check(prepared, inspected: inspected)
    } catch {
        PrepFuzzing.check(error, inspected: inspected)
    }
    return 0
}

enum PrepFuzzing {
    /// The defaults, with three changes that keep libFuzzer's rate useful:
    /// - no face detection (`--faces ignore`): dlib takes about 40 ms an image and is not our
    ///   code; this package does not even link it;
    /// - at most 10 megapixels instead of 100: every photo of the corpus that prep accepts is
    ///   smaller, while a mutated header claiming a huge size is still refused by the same guard
    ///   instead of making libvips decode (and the fuzzer wait for) 100 megapixels;
    /// - a 10-second time limit instead of 60: a pathological file is stopped by prep's own
    ///   guard, and one that runs past libFuzzer's `-timeout` (30 s in scripts/fuzz) is a hang.
    static let options: PrepOptions = {
        var options = PrepOptions()
        options.faces = .ignore
        options.maxPixels = 10_000_000
        options.timeLimit = 10
        return options
    }()

    static func check(_ prepared: PreparedImage, inspected: Result<InspectReport, PrepError>) {
        let target = prepared.size
        expect(prepared.format == options.format, "prep wrote \(prepared.format), not \(options.format)")
        expect(prepared.faces == nil, "faces were looked for with --faces ignore")

        // The inspector reads the same header: the same source, the same findings, the same target.
        guard case .success(let report) = inspected else {
            fail("inspect refused what prep accepted: \(inspected)")
        }
        expect(report.source == prepared.source, "inspect saw \(report.source), prep \(prepared.source)")
        expect(report.privacy == prepared.removed, "inspect found \(report.privacy), prep removed \(prepared.removed)")
        expect(report.target == target, "inspect targets \(String(describing: report.target)), prep made \(target)")

        // The output reads back as an image of exactly the target size, stored upright, with no
        // metadata left at all.
        let output: InspectReport
        do {
            output = try ImageInspector.inspect(.bytes(prepared.bytes), options: options)
        } catch {
            fail("the prepared image does not read back: \(error)")
        }
        expect(output.source.format == prepared.format, "the output is \(output.source.format), not \(prepared.format)")
        expect(output.source.stored == target, "the output is \(output.source.stored), not \(target)")
        expect(output.source.orientation == 1, "the output has EXIF orientation \(output.source.orientation)")
        expect(output.privacy.isEmpty, "the output still carries \(output.privacy)")

        // And every pixel decodes: prep accepts its own output unchanged in size.
        do {
            let again = try ImagePrep.prepare(.bytes(prepared.bytes), options: options)
            expect(again.size == target, "re-preparing the output made \(again.size), not \(target)")
        } catch {
            fail("the prepared image does not decode: \(error)")
        }
    }

    /// A refusal is bad input, with a message; a header the inspector refused is refused by
    /// prep for the same reason. An internal failure (exit 70) is a bug whatever the input.
    static func check(_ error: PrepError, inspected: Result<InspectReport, PrepError>) {
        expect(error.kind != .internalFailure, "internal failure: \(error)")
        expect(!error.message.isEmpty, "a \(error.kind) refusal without a message")
        expect(error.exitStatus == .badInput, "an in-memory input refused with exit \(error.exitStatus): \(error)")
        if case .failure(let refusal) = inspected {
            expect(refusal == error, "inspect refused with '\(refusal)', prep with '\(error)'")
        }
    }

    /// Cleaning keeps a well-formed RIFF header whose size is the file's, and cleaning the
    /// result again changes nothing (no metadata chunk or flag is left behind).
    static func checkCleaning(webP bytes: [UInt8]) {
        let cleaned = WebPContainer.removingMetadata(bytes)
        expect(cleaned.count >= 12, "cleaning left \(cleaned.count) bytes")
        expect(cleaned.starts(with: Array("RIFF".utf8)) && cleaned[8..<12].elementsEqual("WEBP".utf8), "cleaning broke the RIFF header")
        let declared = Int(cleaned[4]) | Int(cleaned[5]) << 8 | Int(cleaned[6]) << 16 | Int(cleaned[7]) << 24
        expect(declared == cleaned.count - 8, "the RIFF header says \(declared) bytes, the file has \(cleaned.count - 8)")
        expect(WebPContainer.removingMetadata(cleaned) == cleaned, "cleaning a cleaned WebP changed it")
    }
}

