#!/usr/bin/env python3
"""Writes Examples/gold.jsonl: hand labels for the example documents (Examples/documents/clinical, Examples/documents/contracts).

The labels below are written by hand, following Examples/pii-gold/README.md (span rules) — this script only turns
each labelled substring into Unicode-scalar offsets (Python str indices) and checks it occurs where stated.
Run from the repository root: python3 scripts/gold/examples_gold.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def span(text, needle, occurrence=1):
    """Offsets of the n-th occurrence of needle in text (1-based)."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return {"start": at, "end": at + len(needle), "text": needle}


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def entity(text, type_, needle, occurrence=1):
    return {"type": type_, **span(text, needle, occurrence)}


def obligation(text, clause, **fields):
    s = span(text, clause)
    return {"text": clause, "start": s["start"], "end": s["end"], **fields}


def clinical():
    t = read("Examples/documents/clinical/intake-note.txt")
    return {
        "id": "clinical/intake-note",
        "text": t,
        "entities": [
            entity(t, "PERSON", "Daniel Okafor"),
            entity(t, "PHONE", "555-0142"),
            entity(t, "EMAIL", "d.okafor@mail.example"),
            entity(t, "ADDRESS", "48 Linden Avenue, Apt 3B, Springfield, IL 62704"),
            entity(t, "PERSON", "Priya Raman"),
        ],
        # The note states one duty; nothing in it says whether the patient did it.
        "obligations": [
            obligation(t, "Patient must bring the log to the next visit.", modality="must", party="Patient",
                       status="unknown"),
        ],
    }


def contract():
    t = read("Examples/documents/contracts/supply-agreement.txt")
    return {
        "id": "contracts/supply-agreement",
        "text": t,
        "entities": [
            entity(t, "ADDRESS", "12 Harbour Street, Suite 4, Bristol, BS1 5TR"),
            entity(t, "PERSON", "Maria Keller"),
            entity(t, "EMAIL", "maria.keller@northwind.example"),
            entity(t, "PHONE", "+44 117 496 0321"),
            entity(t, "PERSON", "Tom Brennan", 1),
            entity(t, "PERSON", "Tom Brennan", 2),
        ],
        "obligations": [
            # Delivered 28 March for an agreement of 3 March: within 30 days, and the text says so.
            obligation(t, "The Supplier shall deliver 200 kg of organic rye flour to the Buyer's premises within 30 days of this agreement.",
                       modality="must", party="Supplier", status="met"),
            # Nothing in the text says whether the invoice was paid.
            obligation(t, "The Buyer shall pay the invoice in full within 14 days of delivery.",
                       modality="must", party="Buyer", status="unknown"),
            obligation(t, "The Supplier must not substitute another grain without the Buyer's written consent.",
                       modality="must-not", party="Supplier", status="unknown"),
            obligation(t, "The Buyer may cancel an order that has not been dispatched by giving 48 hours' notice.",
                       modality="may", party="Buyer", status="unknown"),
        ],
    }


def main():
    lines = [json.dumps(doc, ensure_ascii=False) for doc in (clinical(), contract())]
    (ROOT / "Examples/gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote Examples/gold.jsonl ({len(lines)} documents)")


if __name__ == "__main__":
    main()
