import KioskCore
import KioskTesting
import Testing

/// The catalogue is the extract flow's product choice: the one place products, titles and fees are written.
@Suite struct ProductCatalogueTests {
    @Test func theShippedCatalogueIsTheExtractFlowsProductChoice() throws {
        let catalogue = try ShippedFlows.catalogue()
        #expect(catalogue.products.map(\.id) == ["standard", "history", "international"])
        #expect(catalogue.products.map(\.feeCents) == [1440, 1440, 1755])
        #expect(catalogue.product("history")?.title == LocalizedText(nl: "Uittreksel met historie", en: "Extract with history"))
        #expect(catalogue.product("passport") == nil, "a pickup's document kind is not a product")
    }

    @Test func onlyAChoiceKeptAsProductIsTheCatalogue() throws {
        let flow = """
            id: other
            title: {nl: Ander, en: Other}
            steps:
              - id: pick
                kind: choice
                store: colour
                text: {nl: Kies, en: Choose}
                options:
                  - {id: red, label: {nl: Rood, en: Red}, fee: "1.00", next: end}
              - id: end
                kind: done
                text: {nl: Klaar, en: Done}

            """
        let result = FlowLoader.load([(name: "other.yaml", text: flow)])
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(ProductCatalogue(flows: result.flows).products.isEmpty)
    }
}
