import KioskTesting
import Testing

/// Every suite that talks to the shared kiosk-central, one test at a time: some tests change how the server answers.
@Suite(.serialized) enum AgainstKioskCentral {}
