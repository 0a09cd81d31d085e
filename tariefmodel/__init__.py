"""tariefmodel: the open reële-prijs tariff engine for Jeugdwet and Wmo."""
