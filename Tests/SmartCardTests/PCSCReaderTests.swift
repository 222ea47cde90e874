import Foundation
import KioskCore
import KioskDevices
import KioskTesting
import Logging
import SmartCard
import Testing

/// The PC/SC driver against the real pcscd, with kiosk-emrtd as the card on vpcd's reader: the whole stack a kiosk uses,
/// down to the TCP link that stands in for the USB reader.
@Suite(.serialized) struct PCSCReaderTests {
    static let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"

    static func reader(timeoutMillis: Int = 10_000) async throws -> PCSCCardReader {
        try await PCSCPeer.shared.value
        let profile = try #require(
            DeviceProfile.load([
                (
                    "vpcd.yaml",
                    "id: vpcd\nclass: cardReader\ndriver: pcsc\noptions:\n  reader: \"\(PCSCPeer.reader)\"\n"
                        + "  readTimeoutMillis: \"\(timeoutMillis)\"\n"
                )
            ]).profiles.first)
        return PCSCCardReader(profile: profile, logger: Self.logger)
    }

    static let logger = Logger(label: "pcsc-test") { StreamLogHandler.standardError(label: $0) }

    static func media(_ reader: PCSCCardReader) async -> DeviceStatus.Media? { await reader.status().media }

    /// vpcd takes a card from whoever connects to its port: the tests' pcscd keeps it in a namespace with only loopback,
    /// so not even this machine's own network reaches it, while a card inside is read.
    @Test func vpcdIsReachableOnlyInsidePcscdsNamespace() async throws {
        try await PCSCPeer.shared.value
        try #require(PCSCPeer.ownsDaemon, "the machine's own pcscd is in use")
        // pcscd (and vpcd inside it) lives in a network namespace of its own. Connecting to vpcd's port from here proved
        // nothing: any other process may hold that port on this machine (a kiosk-pinpad of another test once got it as
        // its free port), while vpcd's stays out of reach.
        let pid = try #require(PCSCPeer.daemonPID)
        let theirs = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        #expect(theirs != ours, "pcscd shares this machine's network")
        let card = try await PCSCPeer.Card(mrz: Specimen.td3)
        try await card.remove()
    }

    @Test func aCardIsSeenReadWithTheRightMRZAndRefusedWithAWrongOne() async throws {
        let reader = try await Self.reader()
        defer { reader.stop() }
        try await Harness.eventually("the reader online without a card") { await Self.media(reader) == .notPresent }

        let card = try await PCSCPeer.Card(mrz: Self.td3)
        try await Harness.eventually("the card present") { await Self.media(reader) == .present }
        let mrz = try MRZ(Self.td3)
        #expect(await reader.readIdentity(with: mrz.accessKey) == .identity(Identity(mrz: mrz)))

        let wrong = try AccessKey(
            documentNumber: "L898902C3", birth: CalendarDate(year: 1974, month: 8, day: 12)!,
            expiry: CalendarDate(year: 2013, month: 4, day: 15)!)
        #expect(await reader.readIdentity(with: wrong) == .accessDenied)
        // The chip is still good for the right key after a wrong one.
        #expect(await reader.readIdentity(with: mrz.accessKey) == .identity(Identity(mrz: mrz)))
        #expect(reader.counters["reads"] == 2)
        #expect(reader.counters["accessDenied"] == 1)
        #expect(reader.capabilities["reader"]?.hasPrefix(PCSCPeer.reader) == true)

        try await card.remove()
        try await Harness.eventually("the card gone") { await Self.media(reader) == .notPresent }
        #expect(await reader.readIdentity(with: mrz.accessKey) == .cardRemoved)
    }

    @Test func aCardPulledInTheMiddleOfAReadIsCardRemoved() async throws {
        let reader = try await Self.reader()
        defer { reader.stop() }
        try await Harness.eventually("the reader online") { await Self.media(reader) == .notPresent }
        let card = try await PCSCPeer.Card(mrz: Self.td3, apduDelay: 150)
        try await Harness.eventually("the card present") { await Self.media(reader) == .present }
        let key = try MRZ(Self.td3).accessKey
        let read = Task { await reader.readIdentity(with: key) }
        try await Task.sleep(for: .milliseconds(500))  // a few APDUs into the read
        try await card.remove()
        #expect(await read.value == .cardRemoved)
        #expect(reader.counters["removedDuringRead"] == 1)
    }

    @Test func aChipThatStopsAnsweringTimesOut() async throws {
        let reader = try await Self.reader(timeoutMillis: 800)
        defer { reader.stop() }
        try await Harness.eventually("the reader online") { await Self.media(reader) == .notPresent }
        let card = try await PCSCPeer.Card(mrz: Self.td3, apduDelay: 2000)
        try await Harness.eventually("the card present") { await Self.media(reader) == .present }
        let start = ContinuousClock.now
        #expect(await reader.readIdentity(with: try MRZ(Self.td3).accessKey) == .unreadable)
        // The chip would take 9 × 2 s; the deadline is 0.8 s. Generous, so a loaded machine does not fail it.
        #expect(ContinuousClock.now - start < .seconds(6), "the resident is not kept waiting for the slow chip")
        #expect(reader.counters["failed"] == 1)
        try await card.remove()
    }

    @Test func insertAndRemoveAreEvents() async throws {
        let reader = try await Self.reader()
        defer { reader.stop() }
        try await Harness.eventually("the reader online") { await Self.media(reader) == .notPresent }
        let events = Task {
            var seen: [DeviceEvent] = []
            for await event in reader.events {
                if event == .cardInserted || event == .cardRemoved { seen.append(event) }
                if seen.count == 2 { break }
            }
            return seen
        }
        let card = try await PCSCPeer.Card(mrz: Self.td3)
        try await Harness.eventually("the card present") { await Self.media(reader) == .present }
        try await card.remove()
        try await Harness.eventually("the card gone") { await Self.media(reader) == .notPresent }
        #expect(await events.value == [.cardInserted, .cardRemoved])
    }

    /// pcscd going away takes every reader with it: a hardware error with one line, and back online when pcscd returns.
    /// The tests stop and start their own pcscd; on a machine that runs its own, that one is not the tests' to stop, and
    /// the test fails saying so rather than passing unseen.
    @Test func pcscdGoingAwayAndComingBack() async throws {
        try await PCSCPeer.shared.value
        try #require(PCSCPeer.ownsDaemon, "a pcscd the tests did not start runs here; stop it to run this test")
        let reader = try await Self.reader()
        defer { reader.stop() }
        try await Harness.eventually("the reader online") { await Self.media(reader) == .notPresent }
        try await PCSCPeer.stopDaemon()
        try await Harness.eventually("the hardware error") { await reader.status().state == .hardwareError }
        // First the lost connection, then, trying again every second, "not running".
        try await Harness.eventually("the reason") { reader.capabilities["problem"]?.hasSuffix("pcscd is not running") == true }
        try await PCSCPeer.startDaemon()
        try await Harness.eventually("the reader back", seconds: 20) { await Self.media(reader) == .notPresent }
        let card = try await PCSCPeer.Card(mrz: Self.td3)
        try await Harness.eventually("the card present") { await Self.media(reader) == .present }
        #expect(await reader.readIdentity(with: try MRZ(Self.td3).accessKey) == .identity(Identity(mrz: try MRZ(Self.td3))))
        try await card.remove()
    }

    @Test func aReaderThatIsNotThereIsNoDevice() async throws {
        try await PCSCPeer.shared.value
        let profile = try #require(
            DeviceProfile.load([
                ("none.yaml", "id: none\nclass: cardReader\ndriver: pcsc\noptions:\n  reader: \"No Such Reader\"\n")
            ]).profiles.first)
        let reader = PCSCCardReader(profile: profile, logger: Logger(label: "test"))
        defer { reader.stop() }
        try await Harness.eventually("the missing reader noticed") { reader.capabilities["problem"] != nil }
        #expect(await reader.status().state == .noDevice)
        #expect(reader.capabilities["problem"] == "no reader matches 'No Such Reader'")
    }
}
