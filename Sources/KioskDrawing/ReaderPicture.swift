import Foundation
import KioskCore

/// The screen's pictures, drawn with cairo in the theme's colours: no words, so they need no translation, and no text to
/// fail a contrast check.
struct ReaderPicture: Sendable {
    var theme: Theme
    var scale: Double

    init(theme: Theme, scale: Double) {
        self.theme = theme
        self.scale = scale
    }

    func draw(_ picture: Screen.Picture, in box: (x: Double, y: Double, width: Double, height: Double), on canvas: Canvas) {
        switch picture {
        case .documentOnReader: documentOnReader(box, canvas)
        }
    }

    /// The reader as a flat pad at the bottom, an open passport above it with its photo page facing down (the photo and
    /// the machine-readable lines seen through), and an arrow from the document to the pad.
    func documentOnReader(_ box: (x: Double, y: Double, width: Double, height: Double), _ canvas: Canvas) {
        let s = scale
        // The reader: a dark pad with a lighter window where the document goes.
        let pad = (x: box.x, y: box.y + box.height * 0.62, width: box.width, height: box.height * 0.34)
        canvas.fill(x: pad.x, y: pad.y, width: pad.width, height: pad.height, theme.text)
        let window = (
            x: pad.x + pad.width * 0.12, y: pad.y + pad.height * 0.18, width: pad.width * 0.76, height: pad.height * 0.64
        )
        canvas.fill(x: window.x, y: window.y, width: window.width, height: window.height, theme.field)
        // The document, above the window, with its photo and the two machine-readable lines.
        let document = (x: window.x, y: box.y, width: window.width, height: box.height * 0.38)
        canvas.fill(x: document.x, y: document.y, width: document.width, height: document.height, theme.background)
        canvas.stroke(
            x: document.x, y: document.y, width: document.width, height: document.height, theme.text, lineWidth: 4 * s)
        let photo = (x: document.x + 12 * s, y: document.y + 12 * s, width: document.width * 0.28, height: document.height * 0.55)
        canvas.fill(x: photo.x, y: photo.y, width: photo.width, height: photo.height, theme.button)
        for line in 0..<2 {
            canvas.fill(
                x: document.x + 12 * s, y: document.y + document.height * (0.74 + 0.12 * Double(line)),
                width: document.width - 24 * s, height: 5 * s, theme.text)
        }
        // The arrow: from under the document down to the window.
        let middle = box.x + box.width / 2
        let top = document.y + document.height + 8 * s
        let bottom = window.y - 6 * s
        canvas.line(from: (middle, top), to: (middle, bottom - 14 * s), width: 8 * s, theme.button)
        canvas.line(from: (middle - 22 * s, bottom - 26 * s), to: (middle, bottom), width: 8 * s, theme.button)
        canvas.line(from: (middle + 22 * s, bottom - 26 * s), to: (middle, bottom), width: 8 * s, theme.button)
    }
}
