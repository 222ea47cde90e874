import ArgumentParser
import Foundation
import KioskControl

struct Screenshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Save the screen the resident sees now as PNG (no personal data is hidden: mind where you keep it).")
    @Argument(help: "The PNG file to write.") var file: String
    @OptionGroup var common: Common

    func run() async {
        do {
            let png = try await common.client.screenshot()
            try png.write(to: URL(fileURLWithPath: file))
            // Width and height from the PNG header (IHDR), for the technician's line.
            let width = png.count >= 24 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
            let height = png.count >= 24 ? png[20..<24].reduce(0) { $0 << 8 | Int($1) } : 0
            if common.json {
                common.printJSON(["file": file, "width": "\(width)", "height": "\(height)"])
            } else {
                print("saved \(file) (\(width)×\(height), \(png.count) bytes)")
            }
        } catch let error as ControlError {
            common.fail(error)
        } catch {
            common.fail("cannot write \(file): \(error.localizedDescription)")
        }
    }
}
