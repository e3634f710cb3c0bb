"""Initial states and planned values for bfcl-eval's VehicleControlAPI, made the way python_states.py makes the
others: a varied car from the dialogue's seed (fuel, battery, doors, climate, lights, brakes, tyres), repaired
before each planned call of the dry run (the doors are locked and the brake fully pressed when the engine is
started, the engine runs when cruise control is set, the tank has room for the fuel the plan adds).

What the class fixes in its code (the cities it knows a zipcode for, the pairs of zipcodes it knows a distance
for, the ignition mode it accepts, which `displayCarStatus` option answers which field) cannot be changed by a
state: `values` gives the planner those from the class itself (probed on a scratch instance, never copied from
BFCL's test entries), and `fit_reads` picks the option whose answer holds the fields later calls read.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any, Mapping, MutableMapping, Sequence

from ..values import parse_path
from ..typed_values import faker_for
from .python_probe import answers_for, known_inputs, scratch

DOORS = ("driver", "passenger", "rear_left", "rear_right")
TANK = 50.0  # gallons: the class refuses a fill above it


def vehicle_state(rng: random.Random) -> dict[str, Any]:
    """A parked car: part-filled tank, some doors locked, climate and lights as last left, tyres near 32 psi."""
    engaged = rng.random() < 0.5
    return {
        "random_seed": rng.randint(1, 999_999), "fuelLevel": round(rng.uniform(4, 42), 1),
        "batteryVoltage": round(rng.uniform(11.8, 13.4), 1), "engineState": "stopped",
        "doorStatus": {door: rng.choice(("locked", "unlocked")) for door in DOORS},
        "acTemperature": round(rng.uniform(17, 27), 1), "fanSpeed": rng.randrange(0, 101, 10),
        "acMode": rng.choice(("auto", "cool", "heat", "defrost")), "humidityLevel": round(rng.uniform(30, 70), 1),
        "headLightStatus": rng.choice(("on", "off")), "parkingBrakeStatus": "engaged" if engaged else "released",
        "parkingBrakeForce": 500.0 if engaged else 0.0, "slopeAngle": round(rng.uniform(0, 12), 1) if engaged else 0.0,
        "brakePedalStatus": "released", "brakePedalForce": 0.0,
        "distanceToNextVehicle": round(rng.uniform(20, 120), 1), "cruiseStatus": "inactive",
        "destination": faker_for(rng).street_address() if rng.random() < 0.3 else "None",
        **{f"{tyre}TirePressure": round(rng.uniform(28, 36), 1)
           for tyre in ("frontLeft", "frontRight", "rearLeft", "rearRight")},
    }


def repair_vehicle(state: MutableMapping[str, Any], instance: Any, method: str, args: Mapping[str, Any],
                   rng: random.Random) -> bool:
    # each fix is made only where the initial state can make it: a door an earlier call unlocked, or a pedal an
    # earlier call pressed half-way, stays a real error turn
    if method == "startEngine" and args.get("ignitionMode") == "START":
        if instance.remainingUnlockedDoors > 0 and any(s != "locked" for s in state["doorStatus"].values()):
            state["doorStatus"] = {door: "locked" for door in DOORS}
            return True
        ready = ("pressed", 1000.0)
        if (instance.brakePedalStatus, instance._brakePedalForce) != ready and \
                (state["brakePedalStatus"], state["brakePedalForce"]) != ready:
            state["brakePedalStatus"], state["brakePedalForce"] = ready
            return True
    if method == "setCruiseControl" and instance.engine_state == "stopped" and state["engineState"] != "running":
        state["engineState"] = "running"
        return True
    amount = args.get("fuelAmount")
    if method == "fillFuelTank" and isinstance(amount, (int, float)) and 0 <= amount <= TANK \
            and instance.fuelLevel + amount > TANK:
        added = instance.fuelLevel - state["fuelLevel"]  # by earlier fills of the plan
        room = TANK - amount - added
        if 0 <= room < state["fuelLevel"]:
            state["fuelLevel"] = round(rng.uniform(0, room), 1)
            return True
    return False


# ------------------------------------------------------------------------------------- values from the class

@lru_cache(maxsize=None)
def _known(cls: type) -> dict[str, Any]:
    """What the class's code fixes, read by calling it: the cities it has a zipcode for, the zipcode pairs it
    has a distance for, the ignition modes a ready car takes, and which option shows which status field."""
    zipcodes = known_inputs(cls, "get_zipcode_based_on_city", "city")
    codes = sorted(set(zipcodes.values()))
    pairs = [(a, b) for a in codes for b in codes if a != b
             and "error" not in scratch(cls).estimate_distance(cityA=a, cityB=b)]
    ready = {"doorStatus": {door: "locked" for door in DOORS}, "brakePedalStatus": "pressed",
             "brakePedalForce": 1000.0}
    modes = [mode for mode in ("START", "STOP")
             if "error" not in scratch(cls, ready).startEngine(ignitionMode=mode)]
    options = answers_for(cls, "displayCarStatus", "option",
                          ("fuel", "battery", "doors", "climate", "headlights", "parkingBrake", "brakePedal", "engine"))
    return {"cities": sorted(zipcodes), "pairs": pairs, "modes": modes,
            "options": {option: {f"status.{key}" for key in answer.get("status", answer)}
                        for option, answer in options.items()}}


def vehicle_values(cls: type, method: str, fixed: Mapping[str, Any], earlier: Sequence[tuple[str, Mapping[str, Any]]],
                   rng: random.Random) -> dict[str, Any]:
    """Values for the parameters the class constrains, consistent with `fixed` (values already decided)."""
    known = _known(cls)
    if method == "get_zipcode_based_on_city" and known["cities"]:
        return {"city": fixed["city"] if fixed.get("city") in known["cities"] else rng.choice(known["cities"])}
    if method == "estimate_distance" and known["pairs"]:
        pairs = [p for p in known["pairs"] if fixed.get("cityA") in (None, p[0]) and fixed.get("cityB") in (None, p[1])]
        city_a, city_b = rng.choice(pairs or known["pairs"])
        return {"cityA": city_a, "cityB": city_b}
    if method == "startEngine" and known["modes"]:
        return {"ignitionMode": rng.choice(known["modes"])}
    if method == "fillFuelTank":
        return {"fuelAmount": round(rng.uniform(2, 30), 1)}
    if method == "pressBrakePedal":  # the engine starts only with the pedal fully pressed
        return {"pedalPosition": 1.0 if rng.random() < 0.7 else round(rng.uniform(0.2, 0.9), 1)}
    if method == "setCruiseControl":  # "between 0 and 120 and a multiple of 5"
        return {"speed": float(rng.randrange(25, 121, 5)), "distanceToNextVehicle": float(rng.randrange(20, 151, 5))}
    return {}


def vehicle_reads(cls: type, method: str, arguments: Mapping[str, Any], fields: set[str],
                  rng: random.Random) -> dict[str, Any]:
    """The arguments to change so the class's answer holds every field in `fields` that later calls read:
    `displayCarStatus` shows only the chosen option's part (`status.fanSpeed` needs `climate`)."""
    if method != "displayCarStatus":
        return {}
    options = _known(cls)["options"]
    wanted = {".".join(str(part) for part in parse_path(field)[:2]) for field in fields if field.startswith("status.")}
    if not wanted or wanted <= options.get(arguments.get("option"), set()):
        return {}
    fitting = sorted(option for option, shown in options.items() if wanted <= shown)
    return {"option": rng.choice(fitting)} if fitting else {}
