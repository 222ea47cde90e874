#if KIOSK_TEST_HOOKS
    import ArgumentParser
    import KioskControl

    /// The VM bench's way to wedge the engine, so it can watch systemd's watchdog restart kioskd. Compiled only into the
    /// bench's build (`-DKIOSK_TEST_HOOKS`); a kiosk's kioskctl and kioskd have neither the verb nor the route.
    struct DebugWedge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "debug-wedge", abstract: "Block kioskd's engine for good (test builds only).", shouldDisplay: false)
        @OptionGroup var common: Common

        func run() async {
            struct Empty: Encodable {}
            do {
                print(try await common.client.send("/v1/debug/wedge", Empty()).message)
            } catch let error {
                common.fail(error)
            }
        }
    }
#endif
