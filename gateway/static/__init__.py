"""Static files of the gateway (a package so they ship in the wheel); vendor/ is installed at set-up."""
