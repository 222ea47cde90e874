import Foundation

/// Where the outbox's key comes from. On a site, apart from the data: systemd hands it in as a credential
/// (`LoadCredential=outbox.key:/etc/kioskd/outbox.key`, or `LoadCredentialEncrypted=` with a TPM), which kioskd finds in
/// `$CREDENTIALS_DIRECTORY`; a stolen copy of the state folder then holds only ciphertext. Without one (the demo, the
/// tests) the key is made in the state folder, and kioskd says so at start.
struct OutboxKey {
    let path: String
    /// Handed in from outside: never made by kioskd, and a missing one stops the start.
    let handedIn: Bool

    static let credentialName = "outbox.key"

    static func locate(
        stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> OutboxKey {
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            return OutboxKey(path: credentials + "/" + credentialName, handedIn: true)
        }
        return OutboxKey(path: stateDirectory + "/outbox.key", handedIn: false)
    }
}
