public import Foundation

/// A check of bytes that should be a PDF, before a printer gets them: bytes from outside (the central's document) are
/// hostile. Here, not in KioskDrawing, so that what only checks a PDF does not link cairo.
public enum PDFBytes {
    /// Whether `data` starts as a PDF does and ends with the end-of-file marker in its last kilobyte.
    public static func looksWhole(_ data: Data) -> Bool {
        data.count > 16 && data.starts(with: Array("%PDF-".utf8)) && data.suffix(1024).range(of: Data("%%EOF".utf8)) != nil
    }
}
