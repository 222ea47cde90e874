// swift-tools-version: 6.1
import PackageDescription

/// One settings list for every target: Swift 6 mode plus the upcoming features that keep imports and existentials honest.
let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "kioskd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kioskd", targets: ["kioskd"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
        .executable(name: "kiosk-central", targets: ["kiosk-central"]),
        .executable(name: "kiosk-emrtd", targets: ["kiosk-emrtd"]),
        .executable(name: "kiosk-pinpad", targets: ["kiosk-pinpad"]),
        // For the fuzz package (Fuzz/), which builds the first three with coverage instrumentation, and the benchmark
        // package (Benchmarks/).
        .library(name: "KioskCore", targets: ["KioskCore"]),
        .library(name: "MRTD", targets: ["MRTD"]),
        .library(name: "VirtualMRTD", targets: ["VirtualMRTD"]),
        .library(name: "KioskDevices", targets: ["KioskDevices"]),
        .library(name: "KioskDrawing", targets: ["KioskDrawing"]),
        .library(name: "KioskControl", targets: ["KioskControl"]),
        .library(name: "SmartCard", targets: ["SmartCard"]),
        .library(name: "Printing", targets: ["Printing"]),
        .library(name: "Framebuffer", targets: ["Framebuffer"]),
        .library(name: "Speech", targets: ["Speech"]),
        .library(name: "Outbox", targets: ["Outbox"]),
        .library(name: "Central", targets: ["Central"]),
        .library(name: "CentralAPI", targets: ["CentralAPI"]),
        .library(name: "Payment", targets: ["Payment"]),
        .library(name: "OPI", targets: ["OPI"]),
        .library(name: "Pinpad", targets: ["Pinpad"]),
        .library(name: "KioskTesting", targets: ["KioskTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure core: flows, runner, screens, session, i18n, validation. No I/O, no clock, no C.
        .target(
            name: "KioskCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        // One protocol per device class, device profiles, and the simulated drivers.
        .target(
            name: "KioskDevices",
            dependencies: ["KioskCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        // cairo and pango, for documents (PDF) and, later, the framebuffer. Debian 12 ships pangocairo.pc.
        .systemLibrary(
            name: "CPangoCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
        ),
        // Drawing shared by printed documents and screens: a canvas on cairo with pango text, PDF output, the extract layout.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(name: "KioskDrawing", dependencies: ["KioskCore", "CPangoCairo", "CQRencode"], swiftSettings: settings),
        // OpenSSL's libcrypto for two-key triple DES (swift-crypto has none). Debian 12 ships libcrypto.pc.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // ICAO 9303 over a CardTransport, so tests replay APDUs: BAC and PACE, secure messaging, the LDS, passive, chip and
        // active authentication. Nothing of the kiosk: its own key and data-group types; all crypto from libcrypto.
        .target(
            name: "MRTD",
            dependencies: ["COpenSSL"],
            swiftSettings: settings
        ),
        // A virtual eMRTD chip for tests and the demo: in-process, or behind pcscd through vsmartcard's vpcd driver.
        .target(name: "VirtualMRTD", dependencies: ["MRTD", "KioskCore"], swiftSettings: settings),
        .executableTarget(
            name: "kiosk-emrtd",
            dependencies: [
                "VirtualMRTD", "MRTD", "KioskCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        // pcsc-lite's PC/SC client library; pcscd and its drivers (libccid, vpcd) do the USB and the card protocols.
        .systemLibrary(name: "CPCSCLite", pkgConfig: "libpcsclite", providers: [.apt(["libpcsclite-dev"])]),
        // The card-reader driver on PC/SC: reader and card events, APDUs on a thread of their own, the chip read with MRTD.
        .target(
            name: "SmartCard",
            dependencies: [
                "CPCSCLite", "MRTD", "KioskCore", "KioskDevices", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // libusb for the read-only USB inventory.
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        // What is on the USB bus, matched against the device profiles: an unknown device is a security fault.
        .target(name: "USBInventory", dependencies: ["CLibUSB", "KioskCore", "KioskDevices"], swiftSettings: settings),
        // libcups: Debian 12 has no cups.pc, so the module map links it by name.
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),
        // The printer driver on CUPS: jobs followed to their end, tickets drawn with KioskDrawing.
        .target(
            name: "Printing",
            dependencies: [
                "CCups", "KioskDrawing", "KioskCore", "KioskDevices", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // Touch input: raw evdev records, multitouch protocol B, calibration and taps. Pure: the device reading is elsewhere.
        // mtdev turns multitouch protocol A into B; linked by name (Debian's mtdev.pc adds nothing else).
        // Speech output (EN 301 549 clause 5.1.3): espeak-ng makes the samples, ALSA plays them.
        .systemLibrary(name: "CEspeakNG", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CALSA", providers: [.apt(["libasound2-dev"])]),
        .target(
            name: "Speech",
            dependencies: ["CEspeakNG", "CALSA", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings),
        .systemLibrary(name: "CMtdev", pkgConfig: "mtdev", providers: [.apt(["libmtdev-dev"])]),
        .target(name: "Touch", dependencies: ["CMtdev"], swiftSettings: settings),
        // The framebuffer, console and evdev ioctls, as inline C (ioctl is variadic).
        .systemLibrary(name: "CLinuxFB"),
        // The resident's screen on /dev/fb0 (or a file) and touch from evdev: the framebuffer front.
        .target(
            name: "Framebuffer",
            dependencies: [
                "CLinuxFB", "KioskDrawing", "Touch", "KioskCore", "KioskDevices",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // The central API contract (openapi.yaml) and the code generated from it: types, client and server.
        .target(
            name: "CentralAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi.yaml", "openapi-generator-config.yaml"],
            // Generated code imports more than it uses, one warning per file and declaration; keep them off this target only.
            swiftSettings: settings + [.unsafeFlags(["-suppress-warnings"])]
        ),
        // The central services the flows call: the protocol, the HTTP client on the generated code, and an in-process stand-in.
        .target(
            name: "Central",
            dependencies: [
                "KioskCore", "CentralAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
        // The durable queue of state-changing central calls, and the drainer that delivers it exactly once.
        .target(
            name: "Outbox",
            dependencies: [
                "KioskCore", "Central",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        // IFSF OPI: the length-prefixed frames and the XML messages of both channels, shared by the driver and kiosk-pinpad.
        // FoundationXML reads and writes the XML (libxml2; Debian's libxml2-dev to build).
        .target(
            name: "OPI",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: settings
        ),
        // Payment: the payment journal (in the outbox's database) and the opi terminal driver.
        .target(
            name: "Payment",
            dependencies: [
                "OPI", "KioskCore", "KioskDevices", "Outbox", "Central",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // kiosk-pinpad: a strict OPI terminal simulator with an admin endpoint, like kiosk-central.
        .target(
            name: "Pinpad",
            dependencies: [
                "OPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "kiosk-pinpad",
            dependencies: [
                "Pinpad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // Clients of the municipality's back office: Haal Centraal BRP, the ZGW APIs (Catalogi, Zaken, Documenten) and
        // Klantinteracties, each authenticated as it wants (HS256 JWT, a token, an API key or mutual TLS).
        .target(
            name: "CommonGround",
            dependencies: [
                "KioskCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // kiosk-central, the reference central server: the contract on SQLite, idempotent, with fault injection for tests.
        .target(
            name: "CentralServer",
            dependencies: [
                "CentralAPI", "KioskCore", "Central", "KioskDrawing", "CommonGround",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "kiosk-central",
            dependencies: [
                "CentralServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // ANSI drawing of a Screen and decoding of keys and SGR mouse reports.
        .target(name: "TerminalFront", dependencies: ["KioskCore", "KioskDevices"], swiftSettings: settings),
        // The control-socket vocabulary shared by kioskd and kioskctl, and the client kioskctl uses.
        .target(
            name: "KioskControl",
            dependencies: [
                "KioskCore", "KioskDevices",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: settings
        ),
        // Faults over time and staff alerts: the fault store (SQLite), Alertmanager and webhook sinks, the outbox router.
        .target(
            name: "Alerting",
            dependencies: [
                "KioskCore", "Central", "Outbox",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // libsystemd's sd_notify: READY, STATUS and WATCHDOG for a Type=notify unit.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // Wiring: config, engine, effect execution, control API, lifecycle.
        .target(
            name: "KioskDaemon",
            dependencies: [
                "KioskCore", "KioskDevices", "Central", "Outbox", "TerminalFront", "KioskControl", "SmartCard", "MRTD",
                "USBInventory", "Printing", "Framebuffer", "KioskDrawing", "Alerting", "CSystemd", "Payment", "OPI", "Speech",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "kioskd",
            dependencies: ["KioskDaemon", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "kioskctl",
            dependencies: [
                "KioskCore", "KioskControl", "KioskDevices", "SmartCard", "MRTD",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        // Shared by the test targets: launchers for kioskd, kioskctl and kiosk-central, the generated client for tests.
        .target(
            name: "KioskTesting",
            dependencies: [
                "CentralAPI", "Central", "Touch", "KioskDrawing", "KioskCore", "Pinpad", "OPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/KioskTesting",
            swiftSettings: settings
        ),
        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore", "KioskTesting"], swiftSettings: settings),
        .testTarget(
            name: "OutboxTests",
            dependencies: ["Outbox", "Central", "KioskCore", "KioskTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings),
        .testTarget(name: "KioskDevicesTests", dependencies: ["KioskDevices", "KioskCore"], swiftSettings: settings),
        .testTarget(
            name: "KioskDrawingTests", dependencies: ["KioskDrawing", "KioskCore", "KioskTesting", "Touch"],
            // The snapshots are read by path (and written by Tools/update-snapshots.sh), not bundled.
            exclude: ["Snapshots"], swiftSettings: settings),
        .testTarget(
            name: "MRTDTests", dependencies: ["MRTD", "VirtualMRTD", "SmartCard", "KioskCore", "KioskTesting"],
            swiftSettings: settings),
        .testTarget(
            name: "SmartCardTests",
            dependencies: [
                "SmartCard", "KioskDevices", "KioskCore", "KioskTesting", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "USBInventoryTests", dependencies: ["USBInventory", "KioskDevices", "KioskCore"], swiftSettings: settings),
        .testTarget(
            name: "PrintingTests",
            dependencies: [
                "Printing", "KioskDrawing", "KioskDevices", "KioskCore", "KioskTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "SpeechTests", dependencies: ["Speech", "KioskTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings),
        .testTarget(name: "TouchTests", dependencies: ["Touch", "KioskTesting"], swiftSettings: settings),
        .testTarget(
            name: "FramebufferTests", dependencies: ["Framebuffer", "KioskDrawing", "KioskCore", "Touch", "KioskTesting"],
            swiftSettings: settings),
        .testTarget(
            name: "AlertingTests",
            dependencies: [
                "Alerting", "KioskCore", "Central", "KioskTesting", "Outbox",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "CentralTests", dependencies: ["Central", "KioskCore", "KioskTesting"], swiftSettings: settings),
        .testTarget(
            name: "CentralServerTests",
            dependencies: [
                "CentralServer", "CentralAPI", "Central", "KioskCore", "KioskTesting",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: settings
        ),
        // The VM bench (HIL/README.md): QEMU with the image `make hil-image` makes, driven over QMP.
        .testTarget(
            name: "HILTests", dependencies: ["KioskTesting", "KioskDrawing", "CPangoCairo", "VirtualMRTD"],
            swiftSettings: settings),
        // The opi driver and the payment journal against kiosk-pinpad, a real process.
        .testTarget(
            name: "PaymentTests",
            dependencies: [
                "Payment", "OPI", "Pinpad", "KioskDevices", "KioskCore", "Outbox", "Central", "KioskTesting",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "TerminalFrontTests", dependencies: ["TerminalFront", "KioskCore"], swiftSettings: settings),
        .testTarget(
            name: "KioskDaemonTests",
            dependencies: [
                "KioskDaemon", "KioskDevices", "KioskControl", "KioskCore", "KioskTesting", "CentralAPI", "Outbox", "Central",
                "Alerting", "MRTD", "Pinpad", "Speech", "Touch",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: settings
        ),
    ]
)
