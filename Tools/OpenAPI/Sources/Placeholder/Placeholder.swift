// The package only exists to build swift-openapi-generator; see Package.swift.
