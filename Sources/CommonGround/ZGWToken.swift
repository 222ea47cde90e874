import Foundation
import JWTKit

/// The JWT the ZGW APIs want on every call: HS256, signed with the application's secret, with the claims Open Zaak reads
/// (`iss`, `iat`, `client_id`, `user_id`, `user_representation`). Open Zaak refuses one older than an hour, so a new one
/// is made per call.
package struct ZGWToken: Sendable {
    let clientID: String
    let keys: JWTKeyCollection

    package init(clientID: String, secret: String) async {
        self.clientID = clientID
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var iat: IssuedAtClaim
        var client_id: String
        var user_id: String
        var user_representation: String

        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    /// `Bearer <jwt>`, issued now.
    package func header(call: String) async throws(BackOfficeError) -> String {
        let claims = Claims(
            iss: IssuerClaim(value: clientID), iat: IssuedAtClaim(value: Date()), client_id: clientID,
            user_id: clientID, user_representation: "Zelfbedieningszuil")
        do {
            return "Bearer " + (try await keys.sign(claims))
        } catch {
            throw BackOfficeError(.credentials, call: call, "cannot sign the JWT: \(error)")
        }
    }
}
