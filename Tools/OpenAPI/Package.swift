// swift-tools-version: 6.1
// Builds the swift-openapi-generator CLI for `make generate`, outside the main package, so that a normal build never compiles it.
import PackageDescription

let package = Package(
    name: "openapi-tools",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")],
    targets: [.target(name: "Placeholder", path: "Sources/Placeholder")]
)
