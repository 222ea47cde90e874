// swift-tools-version: 6.1
// The benchmarks (`make bench`, see README.md): each figure a ratio against a baseline measured in the same run. A package
// of their own, as Fuzz/ is, so that the kiosk's package neither builds them nor carries their dependencies; `make test`
// builds them, so that they keep compiling.
import PackageDescription

let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A module of the kiosk's package.
func kiosk(_ name: String) -> Target.Dependency { .product(name: name, package: "kioskd") }

let package = Package(
    name: "kioskd-bench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "kioskd", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // What the benchmarks share: their figures (milliseconds, percentiles), and kiosk-central over plain HTTP.
        .target(
            name: "BenchSupport",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "BenchSupport", swiftSettings: settings),
        // The outbox: durable enqueue against a raw INSERT, and the drain against plain round trips.
        .executableTarget(
            name: "kiosk-bench",
            dependencies: [
                "BenchSupport", kiosk("Outbox"), kiosk("Central"), kiosk("KioskCore"), kiosk("KioskTesting"), kiosk("CentralAPI"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "KioskBench", swiftSettings: settings),
        // The chip read: BAC and DG1 through pcscd against one APDU and an in-process read.
        .executableTarget(
            name: "kiosk-bench-card",
            dependencies: [
                "BenchSupport", kiosk("MRTD"), kiosk("SmartCard"), kiosk("VirtualMRTD"), kiosk("KioskCore"),
                kiosk("KioskTesting"),
            ],
            path: "CardBench", swiftSettings: settings),
        // Printing: a receipt through cupsd to ippeveprinter, and paper-out to status.
        .executableTarget(
            name: "kiosk-bench-print",
            dependencies: [
                "BenchSupport", kiosk("Printing"), kiosk("KioskDrawing"), kiosk("KioskDevices"), kiosk("KioskCore"),
                kiosk("KioskTesting"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "PrintBench", swiftSettings: settings),
        // Speech: a screen change to the first sample, against synthesising the whole text.
        .executableTarget(
            name: "kiosk-bench-speech",
            dependencies: [
                "BenchSupport", kiosk("Speech"), kiosk("KioskCore"), kiosk("KioskTesting"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "SpeechBench", swiftSettings: settings),
        // The screen: frames, a touch to the pressed frame, cold start, memory.
        .executableTarget(
            name: "kiosk-bench-screen",
            dependencies: [
                "BenchSupport", kiosk("Framebuffer"), kiosk("KioskDrawing"), kiosk("KioskCore"), kiosk("KioskTesting"),
            ],
            path: "ScreenBench", swiftSettings: settings),
        // Alerting: a device fault to a webhook, straight and through Alertmanager.
        .executableTarget(
            name: "kiosk-bench-alerts",
            dependencies: [
                "BenchSupport", kiosk("KioskControl"), kiosk("KioskTesting"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "AlertBench", swiftSettings: settings),
        // Payment: the kiosk's overhead per payment against a bare OPI client, and kill -9 at random moments.
        .executableTarget(
            name: "kiosk-bench-pay",
            dependencies: [
                "BenchSupport", kiosk("Payment"), kiosk("OPI"), kiosk("Pinpad"), kiosk("Outbox"), kiosk("Central"),
                kiosk("CentralAPI"),
                kiosk("KioskDevices"), kiosk("KioskCore"), kiosk("KioskTesting"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "PayBench", swiftSettings: settings),
        // The back office: kiosk-central as gateway per extract request, against the stand-ins' own answer times.
        .executableTarget(
            name: "kiosk-bench-backoffice",
            dependencies: ["BenchSupport", kiosk("CentralAPI"), kiosk("KioskTesting")],
            path: "BackOfficeBench", swiftSettings: settings),
    ]
)
