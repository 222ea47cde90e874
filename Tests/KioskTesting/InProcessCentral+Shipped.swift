public import Central
import Foundation
import KioskDrawing

extension InProcessCentral {
    /// The in-process central as kioskd makes it: the shipped flows' catalogue, extracts drawn with cairo.
    public static func shipped(latency: Duration = .zero) throws -> InProcessCentral {
        InProcessCentral(
            latency: latency, catalogue: try ShippedFlows.catalogue(),
            drawExtract: { try ExtractDocument(demonstration: $0, issued: Date()).pdf() })
    }
}
