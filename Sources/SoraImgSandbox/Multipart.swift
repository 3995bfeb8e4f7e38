import Foundation

/// One part of a multipart/form-data body (RFC 7578).
@_spi(Fuzzing) public struct MultipartPart: Sendable {
    /// The form field name from Content-Disposition.
    let name: String
    /// The file name, when the part is a file; nil for a plain field.
    let filename: String?
    /// The part's Content-Type as sent; nil when absent.
    let contentType: String?
    @_spi(Fuzzing) public let body: [UInt8]

    /// The body as text, for plain fields.
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Splits multipart/form-data bodies into parts.
@_spi(Fuzzing) public enum Multipart {
    /// The parts of `body`, delimited by `boundary`; throws a 400 naming what is wrong.
    @_spi(Fuzzing) public static func parse(_ body: [UInt8], boundary: String) throws(APIError) -> [MultipartPart] {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = [13, 10] + delimiter
        // The first delimiter may follow a preamble, which is ignored.
        guard var cursor = ByteSearch.find(delimiter, in: body, from: 0) else {
            throw malformed("the body does not contain the boundary given in Content-Type")
        }
        cursor += delimiter.count
        var parts: [MultipartPart] = []
        while true {
            if body.count - cursor >= 2, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") {
                return parts
            }
            // Transport padding (spaces, tabs) may sit between a delimiter and its CRLF.
            while cursor < body.count, body[cursor] == 32 || body[cursor] == 9 { cursor += 1 }
            guard body.count - cursor >= 2, body[cursor] == 13, body[cursor + 1] == 10 else {
                throw malformed("a boundary line does not end with CRLF")
            }
            cursor += 2
            guard let end = ByteSearch.find(separator, in: body, from: cursor) else {
                throw malformed("the body ends before its closing boundary")
            }
            parts.append(try part(body[cursor..<end]))
            cursor = end + separator.count
        }
    }

    /// The boundary parameter of a multipart Content-Type (1 to 70 characters, RFC 2046 §5.1.1).
    @_spi(Fuzzing) public static func boundary(in contentType: String) throws(APIError) -> String {
        guard let boundary = HTTPHeaders.parameter("boundary", in: contentType), (1...70).contains(boundary.utf8.count) else {
            throw malformed("Content-Type multipart/form-data needs a boundary parameter of 1 to 70 characters")
        }
        return boundary
    }

    private static func part(_ bytes: ArraySlice<UInt8>) throws(APIError) -> MultipartPart {
        let all = Array(bytes)
        let headerEnd: Int
        let bodyStart: Int
        if all.starts(with: [13, 10]) {
            headerEnd = 0
            bodyStart = 2
        } else if let end = ByteSearch.find([13, 10, 13, 10], in: all, from: 0) {
            headerEnd = end
            bodyStart = end + 4
        } else {
            throw malformed("a part has no blank line after its headers")
        }
        var name: String?
        var filename: String?
        var contentType: String?
        for line in String(decoding: all[..<headerEnd], as: UTF8.self).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw malformed("a part header is not 'Name: value'") }
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            switch line[..<colon].lowercased() {
            case "content-disposition":
                name = HTTPHeaders.parameter("name", in: value)
                filename = HTTPHeaders.parameter("filename*", in: value).flatMap(extendedValue) ?? HTTPHeaders.parameter("filename", in: value)
            case "content-type":
                contentType = value
            default:
                continue
            }
        }
        guard let name else { throw malformed("a part has no Content-Disposition with a name") }
        return MultipartPart(name: name, filename: filename, contentType: contentType, body: Array(all[bodyStart...]))
    }

    /// `UTF-8''na%C3%AFve.jpg` (RFC 8187) → `naïve.jpg`.
    private static func extendedValue(_ text: String) -> String? {
        let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        return HTTPRequest.percentDecoded(pieces[2], plusIsSpace: false)
    }

    private static func malformed(_ reason: String) -> APIError {
        .invalid("Could not parse multipart form: \(reason).", param: nil)
    }
}
