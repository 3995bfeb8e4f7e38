import Foundation
import Testing

@_spi(Fuzzing) @testable import SoraImg

/// The hand-written examples of xAI's REST shapes in `Fixtures/xai/` (see its README), and a
/// comparison of JSON documents by shape: member names, nesting and JSON types, not values.
enum XAIFixtures {
    static let base = "https://api.x.ai/v1"
    static let key = "xai-test-key-0123456789"

    static func dialect(base: String = base) throws -> XAIDialect {
        XAIDialect(configuration: try VideosConfiguration(provider: .xai, baseURL: base, apiKey: key))
    }

    static func data(_ name: String) throws -> [UInt8] {
        let path = Paths.fixture("xai/\(name).json")
        return Array(try #require(FileManager.default.contents(atPath: path), "missing fixture \(path)"))
    }

    static func shape(_ name: String) throws -> JSONShape {
        try JSONDecoder().decode(JSONShape.self, from: Data(try data(name)))
    }

    /// The fixture as an answer from `url` with `status`.
    static func answer(_ name: String, status: Int = 200, url: String = base + "/videos/d97415a1") throws -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: try data(name), url: url)
    }
}

/// A JSON document reduced to its shape.
indirect enum JSONShape: Decodable, Equatable, CustomStringConvertible {
    case null, bool, number, string
    case array([JSONShape])
    case object([String: JSONShape])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if (try? container.decode(Bool.self)) != nil {
            self = .bool
        } else if (try? container.decode(Double.self)) != nil {
            self = .number
        } else if (try? container.decode(String.self)) != nil {
            self = .string
        } else if let array = try? container.decode([JSONShape].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONShape].self))
        }
    }

    init(_ bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(JSONShape.self, from: Data(bytes))
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array(let items): "[\(items.first?.description ?? "")]"
        case .object(let members): "{" + members.keys.sorted().map { "\($0): \(members[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    /// Where `self` says something the fixture's shape does not: a member the fixture lacks, or
    /// a member of another JSON type. With `exactly`, also a member the fixture has and `self`
    /// lacks. A `null` in the fixture stands for an optional member of any type.
    func mismatches(against fixture: JSONShape, exactly: Bool = false, at path: String = "$") -> [String] {
        switch (self, fixture) {
        case (_, .null): return []
        case (.object(let mine), .object(let theirs)):
            var found: [String] = []
            for (name, value) in mine {
                guard let expected = theirs[name] else {
                    found.append("\(path).\(name) is not in the fixture")
                    continue
                }
                found += value.mismatches(against: expected, exactly: exactly, at: "\(path).\(name)")
            }
            if exactly {
                for name in theirs.keys where mine[name] == nil { found.append("\(path).\(name) is missing") }
            }
            return found
        case (.array(let mine), .array(let theirs)):
            guard let expected = theirs.first else { return [] }
            return mine.enumerated().flatMap { $0.element.mismatches(against: expected, exactly: exactly, at: "\(path)[\($0.offset)]") }
        case (.object, _), (.array, _), (_, .object), (_, .array):
            return ["\(path) is \(self), the fixture has \(fixture)"]
        default:
            return self == fixture ? [] : ["\(path) is \(self), the fixture has \(fixture)"]
        }
    }
}
