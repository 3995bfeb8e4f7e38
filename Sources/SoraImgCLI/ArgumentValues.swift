import ArgumentParser
import SoraImg

// Closed value sets for `--help` and parsing; the values themselves live in the library.

extension ImageFormat: ExpressibleByArgument {}

extension ChromaSubsampling: ExpressibleByArgument {}

extension SizeRequest: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension FitMode: ExpressibleByArgument {}

extension FacePolicy: ExpressibleByArgument {}

extension CropPosition: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension Background: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
