print("kiosk-pinpad")
