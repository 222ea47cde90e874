import KioskTesting
import Testing

@testable import KioskCore

/// The resident's effort, computed from the shipped flows: the city's limits on the shortest successful path.
@Suite struct ResidentActionsTests {
    func flow(_ id: String) throws -> Flow {
        try #require(try ShippedFlows.flows().first { $0.id == id })
    }

    @Test func anExtractWithADutchDocumentTakesAtMostFiveActions() throws {
        // Welcome, product, document, confirm, pay: the chip gives the BSN.
        #expect(try ResidentActions.shortest(flow("extract-request"), chipGivesBSN: true) == 5)
        // A foreign document: the BSN is typed too.
        #expect(try ResidentActions.shortest(flow("extract-request"), chipGivesBSN: false) == 6)
    }

    @Test func aPickupWithAScannedLetterTakesAtMostFour() throws {
        // Welcome, the letter's code scanned, document, confirm.
        #expect(try ResidentActions.shortest(flow("pickup"), chipGivesBSN: true) == 4)
    }

    @Test func callingStaffTakesNone() throws {
        #expect(try ResidentActions.shortest(flow("call-staff"), chipGivesBSN: true) == 0)
    }
}
