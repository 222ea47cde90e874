/// The kiosk-facing central API, generated from `openapi.yaml` by swift-openapi-generator: types, client and server.
///
/// The files in `Generated/` are committed rather than built by the plugin, which would add about a minute to every clean
/// build. After changing the document run `make generate`; never edit `Generated/` by hand. The generator ignores `pattern`
/// and `minLength`, so the server checks those in its handlers.
package enum CentralAPI {}
