import SoraImg

/// The `--json` document of `animate --dry-run`: each request as it would be sent.
struct DryRunDocument: Encodable {
    struct Image: Encodable {
        let width: Int
        let height: Int
        let format: String
        let bytes: Int
        let removed: [String]
        /// How many times the photo was enlarged; absent when it was not.
        let upscale: Double?
    }

    struct Request: Encodable {
        let input: String?
        let encoding: String
        let fields: [String: String]
        let image: Image?
        /// US dollars at the model's reference price; absent when the price is unknown.
        let estimated_cost: Double?

        init(input: String?, plan: DryRun) {
            self.input = input
            encoding = plan.image == nil || plan.encoding == .dataURL ? "json" : "multipart"
            fields = Dictionary(plan.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            image = plan.image.map {
                Image(
                    width: $0.size.width, height: $0.size.height, format: $0.format.rawValue, bytes: $0.bytes,
                    removed: $0.removed.map(\.rawValue), upscale: $0.upscale)
            }
            estimated_cost = plan.estimatedCost
        }
    }

    let requests: [Request]
}
