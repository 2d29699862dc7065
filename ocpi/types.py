"""The OCPI 2.2.1 enumerations (with the errata), in one place for every module.

Each list holds the values of the enum the spec names in the comment above it. The enums that
are also model choices (TokenType on Token, SessionStatus on Session, the command and charging
profile results) live on those models.
"""

# AuthMethod (mod_cdrs)
AUTH_METHODS = ["AUTH_REQUEST", "COMMAND", "WHITELIST"]
# CdrDimensionType (mod_cdrs)
CDR_DIMENSION_TYPES = [
    "CURRENT",
    "ENERGY",
    "ENERGY_EXPORT",
    "ENERGY_IMPORT",
    "MAX_CURRENT",
    "MIN_CURRENT",
    "MAX_POWER",
    "MIN_POWER",
    "PARKING_TIME",
    "POWER",
    "RESERVATION_TIME",
    "STATE_OF_CHARGE",
    "TIME",
]
# TariffDimensionType (mod_tariffs)
TARIFF_DIMENSION_TYPES = ["ENERGY", "FLAT", "PARKING_TIME", "TIME"]
# TariffType (mod_tariffs)
TARIFF_TYPES = ["AD_HOC_PAYMENT", "PROFILE_CHEAP", "PROFILE_FAST", "PROFILE_GREEN", "REGULAR"]
# Capability (mod_locations)
CAPABILITIES = [
    "CHARGING_PROFILE_CAPABLE",
    "CHARGING_PREFERENCES_CAPABLE",
    "CHIP_CARD_SUPPORT",
    "CONTACTLESS_CARD_SUPPORT",
    "CREDIT_CARD_PAYABLE",
    "DEBIT_CARD_PAYABLE",
    "PED_TERMINAL",
    "REMOTE_START_STOP_CAPABLE",
    "RESERVABLE",
    "RFID_READER",
    "START_SESSION_CONNECTOR_REQUIRED",
    "TOKEN_GROUP_CAPABLE",
    "UNLOCK_CAPABLE",
]
# ConnectorFormat (mod_locations)
CONNECTOR_FORMATS = ["SOCKET", "CABLE"]
# ConnectorType (mod_locations)
CONNECTOR_TYPES = [
    "CHADEMO",
    "CHAOJI",
    *[f"DOMESTIC_{letter}" for letter in "ABCDEFGHIJKLMNO"],
    "GBT_AC",
    "GBT_DC",
    "IEC_60309_2_single_16",
    "IEC_60309_2_three_16",
    "IEC_60309_2_three_32",
    "IEC_60309_2_three_64",
    "IEC_62196_T1",
    "IEC_62196_T1_COMBO",
    "IEC_62196_T2",
    "IEC_62196_T2_COMBO",
    "IEC_62196_T3A",
    "IEC_62196_T3C",
    "NEMA_5_20",
    "NEMA_6_30",
    "NEMA_6_50",
    "NEMA_10_30",
    "NEMA_10_50",
    "NEMA_14_30",
    "NEMA_14_50",
    "PANTOGRAPH_BOTTOM_UP",
    "PANTOGRAPH_TOP_DOWN",
    "TESLA_R",
    "TESLA_S",
]
# EnergySourceCategory (mod_locations)
ENERGY_SOURCE_CATEGORIES = [
    "NUCLEAR",
    "GENERAL_FOSSIL",
    "COAL",
    "GAS",
    "GENERAL_GREEN",
    "SOLAR",
    "WIND",
    "WATER",
]
# EnvironmentalImpactCategory (mod_locations)
ENVIRONMENTAL_IMPACT_CATEGORIES = ["NUCLEAR_WASTE", "CARBON_DIOXIDE"]
# Facility (mod_locations)
FACILITIES = [
    "HOTEL",
    "RESTAURANT",
    "CAFE",
    "MALL",
    "SUPERMARKET",
    "SPORT",
    "RECREATION_AREA",
    "NATURE",
    "MUSEUM",
    "BIKE_SHARING",
    "BUS_STOP",
    "TAXI_STAND",
    "TRAM_STOP",
    "METRO_STATION",
    "TRAIN_STATION",
    "AIRPORT",
    "PARKING_LOT",
    "CARPOOL_PARKING",
    "FUEL_STATION",
    "WIFI",
]
# ImageCategory (mod_locations)
IMAGE_CATEGORIES = ["CHARGER", "ENTRANCE", "LOCATION", "NETWORK", "OPERATOR", "OTHER", "OWNER"]
# ParkingRestriction (mod_locations)
PARKING_RESTRICTIONS = ["EV_ONLY", "PLUGGED", "DISABLED", "CUSTOMERS", "MOTORCYCLES"]
# ParkingType (mod_locations)
PARKING_TYPES = [
    "ALONG_MOTORWAY",
    "PARKING_GARAGE",
    "PARKING_LOT",
    "ON_DRIVEWAY",
    "ON_STREET",
    "UNDERGROUND_GARAGE",
]
# PowerType (mod_locations)
POWER_TYPES = ["AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"]
# Status of an EVSE (mod_locations)
STATUSES = [
    "AVAILABLE",
    "BLOCKED",
    "CHARGING",
    "INOPERATIVE",
    "OUTOFORDER",
    "PLANNED",
    "REMOVED",
    "RESERVED",
    "UNKNOWN",
]
# TokenType (mod_tokens)
TOKEN_TYPES = ["AD_HOC_USER", "APP_USER", "OTHER", "RFID"]
# AllowedType (mod_tokens)
ALLOWED_TYPES = ["ALLOWED", "BLOCKED", "EXPIRED", "NO_CREDIT", "NOT_ALLOWED"]
# ProfileType (mod_tokens)
PROFILE_TYPES = ["CHEAP", "FAST", "GREEN", "REGULAR"]
# DayOfWeek (mod_tariffs)
DAYS_OF_WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
# ReservationRestrictionType (mod_tariffs)
RESERVATION_RESTRICTION_TYPES = ["RESERVATION", "RESERVATION_EXPIRES"]
# TaxIncluded (mod_tariffs, OCPI 2.3.0; a 2.3.0 tariff keeps it in our documents)
TAX_INCLUDED = ["YES", "NO", "N/A"]
