import Testing

@testable import Framebuffer

/// `headset: auto` takes only a sound card's jack: a USB device that declares a headphone switch is not a headset, or it
/// could make the kiosk say a BSN over the loudspeaker.
@Suite struct HeadphoneJackDiscoveryTests {
    @Test func onlyASoundCardsJackIsAHeadset() {
        let headphone: [UInt8] = [1 << 2, 0, 0, 0]
        #expect(EventDevice.isHeadphoneJack(switchBits: headphone, phys: "ALSA"))
        #expect(!EventDevice.isHeadphoneJack(switchBits: headphone, phys: "usb-0000:00:14.0-2/input0"), "a USB stick")
        #expect(!EventDevice.isHeadphoneJack(switchBits: headphone, phys: ""), "a uinput device with no phys")
        #expect(!EventDevice.isHeadphoneJack(switchBits: [1 << 0, 0, 0, 0], phys: "ALSA"), "a lid switch")
        #expect(!EventDevice.isHeadphoneJack(switchBits: [], phys: "ALSA"), "a node that said nothing")
    }
}
