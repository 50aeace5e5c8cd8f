"""Who the patient calls: the clinic's name and phone, from a clinic file or given once.

A patient without a clinic file can still give the clinic's name and phone once
(`companion config --clinic-name --clinic-phone`); every alert then carries the
number. When a clinic file is in effect too, its [clinic] wins field by field and
what it leaves out comes from the patient's own entry (a file naming the clinic but
no phone gets the phone the patient gave).
"""

from __future__ import annotations

from dataclasses import replace

from companion.core.errors import InputError
from companion.core.protocol import Clinic, Protocol
from companion.core.text import check_text

MAX_NAME = 80
MAX_PHONE = 40
PHONE_CHARACTERS = frozenset("0123456789 +-()./")
MIN_PHONE_DIGITS = 3


def validate_clinic_name(value: str, field: str = "clinic_name") -> str:
    name = check_text(value, field, limit=MAX_NAME)
    if "\n" in name or "\t" in name:
        raise InputError(field, "must be one line")
    if not name:
        raise InputError(field, "is empty; give the clinic's name, e.g. 'Riverside Physiotherapy'")
    return name


def validate_clinic_phone(value: str, field: str = "clinic_phone") -> str:
    phone = check_text(value, field, limit=MAX_PHONE)
    wrong = sorted({ch for ch in phone if ch not in PHONE_CHARACTERS})
    if wrong:
        raise InputError(
            field,
            f"may hold only the digits 0-9, spaces and + - ( ) . /; got {''.join(wrong)!r}",
        )
    if sum(ch.isdigit() for ch in phone) < MIN_PHONE_DIGITS:
        raise InputError(field, f"needs at least {MIN_PHONE_DIGITS} digits, e.g. '+44 20 7946 0000'")
    return phone


def contact_from(file_clinic: Clinic | None, name: str | None, phone: str | None) -> Clinic | None:
    """The clinic file's [clinic], completed field by field by the patient's own entry."""
    if file_clinic is None:
        if not name and not phone:
            return None
        return Clinic(name=name or "", phone=phone or "")
    return Clinic(name=file_clinic.name or name or "", phone=file_clinic.phone or phone or "")


def with_contact(protocol: Protocol, name: str | None, phone: str | None) -> Protocol:
    """The protocol with who to call set (idempotent: it starts from the file's [clinic])."""
    return replace(protocol, contact_clinic=contact_from(protocol.clinic, name, phone))
