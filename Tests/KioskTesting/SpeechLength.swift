/// Whether a spoken length in samples is the length espeak-ng makes for the same text.
///
/// espeak-ng carries state from one text to the next inside the library (a fresh voice does not reset it), so the same
/// text comes out up to about 1,400 samples (63 ms at 22,050 Hz) longer or shorter depending on what was said before it
/// in that process: measured on 2026-11-29, "Welkom bij de Stadswinkel." gave 35,466 to 36,831 samples. Lengths are
/// therefore compared within 1,800 samples or 5 %, whichever is more: a sentence cut off, or said in the other language,
/// is further out than that (the tests that rely on it check so).
package enum SpeechLength {
    package static func about(_ count: Int, _ expected: Int) -> Bool {
        abs(count - expected) <= max(expected / 20, 1_800)
    }
}
