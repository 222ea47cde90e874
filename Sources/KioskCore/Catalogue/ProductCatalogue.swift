/// The products a resident can ask for, with their titles and fees, as the extract flow's product choice writes them:
/// that flow is the one place they are written. kioskd shows and charges them; kiosk-central serves them as its catalog,
/// checks each paid request's fee against them, and prints their titles on the extract.
public struct ProductCatalogue: Sendable, Equatable {
    public struct Product: Sendable, Equatable {
        public let id: String
        public let title: LocalizedText
        public let feeCents: Int?
    }

    public let products: [Product]

    /// The options of every choice step that keeps its answer as `product`, the first one of an id winning.
    public init(flows: [Flow]) {
        var seen: Set<String> = []
        var products: [Product] = []
        for flow in flows {
            for step in flow.steps {
                guard case .choice(let choice) = step.kind, choice.store == "product" else { continue }
                for option in choice.options where seen.insert(option.id).inserted {
                    products.append(Product(id: option.id, title: option.label, feeCents: option.feeCents))
                }
            }
        }
        self.products = products
    }

    public func product(_ id: String) -> Product? {
        products.first { $0.id == id }
    }
}
