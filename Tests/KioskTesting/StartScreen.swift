import Foundation
import KioskCore
public import KioskDrawing

/// Where kioskd's start screen draws its buttons: the same renderer and the shipped flows, every device well, on a
/// 1080 × 1920 portrait screen. Tests tap there, on a FIFO panel or on the VM bench's USB tablet.
public enum StartScreen {
    public static func button(for flow: String) throws -> ScreenRenderer.Hit {
        let runner = FlowRunner(flows: try ShippedFlows.flows())
        let state = KioskState(
            language: .nl,
            devices: [
                .cardReader: DeviceStatus(state: .online, media: .notPresent),
                .printer: DeviceStatus(state: .online, paper: .full),
                .scanner: .online, .display: .online, .paymentTerminal: .online,
            ])
        var drawn = ScreenRenderer.Drawn()
        _ = try Raster.render(width: 1080, height: 1920) { drawn = ScreenRenderer().draw(runner.screen(for: state), on: $0) }
        guard let hit = drawn.hits.first(where: { $0.target == .action(.startFlow(flow)) }) else {
            throw HarnessError("the start screen has no button for \(flow)")
        }
        return hit
    }
}
