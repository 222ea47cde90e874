// swift-tools-version: 6.1
// libFuzzer targets for the parsers that take bytes from outside: the MRZ, and everything a card sends.
// Built with coverage instrumentation by `make fuzz` (a short run is part of `make test`); see Fuzz/README.md.
import PackageDescription

let fuzz: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "kioskd-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "kioskd", path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "FuzzSupport", swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "FuzzMRZ", dependencies: ["FuzzSupport", .product(name: "KioskCore", package: "kioskd")], path: "FuzzMRZ",
            swiftSettings: fuzz),
        .executableTarget(
            name: "FuzzCard",
            dependencies: [
                "FuzzSupport", .product(name: "MRTD", package: "kioskd"), .product(name: "VirtualMRTD", package: "kioskd"),
            ],
            path: "FuzzCard", swiftSettings: fuzz),
        .executableTarget(
            name: "FuzzDocument",
            dependencies: ["FuzzSupport", .product(name: "MRTD", package: "kioskd")],
            path: "FuzzDocument", swiftSettings: fuzz),
    ]
)
