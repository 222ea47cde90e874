import Foundation
import KioskCore
import Testing

@testable import KioskDevices

/// The simulators behave like the hardware they stand for: a chip opens only for its own MRZ, a pulled card fails the read,
/// and a printer out of paper or jammed fails the job.
@Suite struct SimulatorTests {
    static let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    static let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"

    func reader(readMillis: Int = 10) -> SimulatedCardReader {
        SimulatedCardReader(
            profile: DeviceProfile(
                id: "r", deviceClass: .cardReader, driver: "simulated", options: ["readMillis": "\(readMillis)"]))
    }

    @Test func theChipOpensOnlyForItsOwnMRZ() async throws {
        let reader = reader()
        let passport = try MRZ(Self.td3)
        #expect(await reader.readIdentity(with: passport.accessKey) == .cardRemoved, "no card yet")
        reader.present(passport)
        #expect(await reader.status().media == .present)
        #expect(await reader.readIdentity(with: try MRZ(Self.td1).accessKey) == .accessDenied)
        #expect(
            await reader.readIdentity(with: passport.accessKey)
                == .identity(Identity(mrz: passport), ChipEvidence(passive: .valid(country: passport.issuer), antiClone: .proved))
        )
    }

    @Test func aCardPulledDuringTheReadFailsIt() async throws {
        let reader = reader(readMillis: 300)
        let passport = try MRZ(Self.td3)
        reader.present(passport)
        async let result = reader.readIdentity(with: passport.accessKey)
        try await Task.sleep(for: .milliseconds(50))
        reader.remove()
        #expect(await result == .cardRemoved)
    }

    @Test func insertAndRemoveAreEvents() async throws {
        let reader = reader()
        reader.present(try MRZ(Self.td3))
        reader.remove()
        var events: [DeviceEvent] = []
        for await event in reader.events {
            events.append(event)
            if events.count == 4 { break }
        }
        #expect(
            events == [
                .status(DeviceStatus(state: .online, media: .present)), .cardInserted,
                .status(DeviceStatus(state: .online, media: .notPresent)), .cardRemoved,
            ])
    }

    func printer() -> SimulatedPrinter {
        SimulatedPrinter(
            profile: DeviceProfile(id: "p", deviceClass: .printer, driver: "simulated", options: ["printMillis": "200"]))
    }

    static let job = PrintJob(document: .receipt, title: "Ontvangstbewijs", lines: ["Referentie: TLB-1"])

    @Test func conditionsMapOntoTheDeviceVocabulary() async {
        let printer = printer()
        for (condition, blocking) in [
            (SimulatedPrinter.Condition.ok, false), (.paperLow, false), (.paperOut, true), (.jam, true), (.offline, true),
        ] {
            printer.set(condition)
            #expect(await printer.status().isBlocking == blocking, "\(condition)")
        }
    }

    @Test func printsWhenWellAndFailsWhenNot() async throws {
        let printer = printer()
        #expect(await printer.print(Self.job, document: nil) == .printed)
        printer.set(.paperOut)
        #expect(await printer.print(Self.job, document: nil) == .failed)
        printer.set(.ok)
        async let jammed = printer.print(Self.job, document: nil)
        try await Task.sleep(for: .milliseconds(50))
        printer.set(.jam)
        #expect(await jammed == .failed, "a jam during the job fails it")
        #expect(printer.counters["jobsPrinted"] == 1)
        #expect(printer.counters["jobsFailed"] == 2)
    }
}

@Suite struct DeviceProfileTests {
    @Test func theShippedProfilesLoad() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let names = ["sim-card-reader", "sim-printer", "sim-scanner"]
        let files = try names.map { name in
            (name: "Devices/\(name).yaml", text: try String(contentsOfFile: "\(root)/Devices/\(name).yaml", encoding: .utf8))
        }
        let (profiles, issues) = DeviceProfile.load(files)
        #expect(issues.isEmpty)
        #expect(profiles.map(\.deviceClass) == [.cardReader, .printer, .scanner])
        #expect(profiles[1].option("printMillis", default: 0) == 600)
    }

    @Test func problemsAreReportedWithTheirLine() {
        let text = "id: x\nclass: toaster\ndriver: simulated\nusb: 12345\ncolour: red\n"
        let (profiles, issues) = DeviceProfile.load([(name: "Devices/x.yaml", text: text)])
        #expect(profiles.isEmpty)
        #expect(
            issues.map(\.description) == [
                "Devices/x.yaml:5:1: unknown key 'colour' in a device profile (expected one of: id, class, driver, description, usb, usbInterfaces, options)",
                "Devices/x.yaml:2:8: unknown class 'toaster' (expected one of: cardReader, printer, scanner, display, paymentTerminal)",
                "Devices/x.yaml:4:6: usb '12345' must be VID:PID in hex, like 072f:b100",
            ])
    }
}
