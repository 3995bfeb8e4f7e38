/// soraimg's version, sent as the User-Agent and printed by `--version`.
public enum SoraImgVersion {
    public static let current = "0.2.0"
}
