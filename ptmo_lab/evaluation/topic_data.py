"""Generated sentences for the sensitive-topic model: first-person statements about
health, finance, legal matters, employment and immigration, relationships, location
and routine, and ordinary sentences about none of them (label ``NONE``).

Templates are combined with slot fillers at random (seeded), so every topic gets a few
hundred distinct sentences.
"""
from __future__ import annotations

import random

TOPICS = ("HEALTH", "FINANCE", "LEGAL", "EMPLOYMENT", "IMMIGRATION", "RELATIONSHIPS", "LOCATION_ROUTINE")

_FILL = {
    "cond": ["diabetes", "depression", "an anxiety disorder", "breast cancer", "HIV", "asthma", "ADHD",
             "a heart condition", "bipolar disorder", "chronic back pain", "epilepsy", "an eating disorder",
             "high blood pressure", "a thyroid problem", "PTSD", "long covid", "a kidney infection"],
    "med": ["insulin", "antidepressants", "sertraline", "chemotherapy", "metformin", "painkillers",
            "birth control", "methadone", "lithium", "an inhaler"],
    "money": ["$12,000", "20k", "three months of rent", "my whole savings", "4,500 euros", "a lot of money"],
    "debt": ["credit card debt", "a payday loan", "my mortgage", "student loans", "back taxes", "a car loan"],
    "legal": ["a DUI", "a custody battle", "a lawsuit", "shoplifting charges", "a restraining order",
              "my divorce settlement", "a court hearing", "probation", "a criminal record", "an eviction notice"],
    "job": ["fired", "laid off", "put on a performance plan", "demoted", "passed over for promotion",
            "disciplined by HR", "forced to resign"],
    "visa": ["H-1B visa", "green card", "work permit", "student visa", "asylum application",
             "residence permit", "citizenship application", "visa renewal"],
    "rel": ["my wife", "my husband", "my boyfriend", "my girlfriend", "my ex", "my partner", "my mother-in-law"],
    "place": ["the gym on 5th street", "my daughter's school", "the clinic downtown", "my office",
              "the bus stop near my flat", "the church on the corner"],
    "time": ["every morning at 7", "on weekdays after 6 pm", "every Tuesday night", "at 8:15 each day",
             "on Saturday mornings"],
    "thing": ["a birthday cake", "the quarterly report", "a python script", "a vegetarian lasagna",
              "the marketing plan", "a short story", "an essay on climate", "a poem about autumn"],
}

_TEMPLATES = {
    "HEALTH": [
        "I was diagnosed with {cond} last year.", "My doctor put me on {med} for {cond}.",
        "I have been struggling with {cond} and my symptoms are getting worse.",
        "Can you help me explain my {cond} to my employer?", "I take {med} twice a day.",
        "My son was hospitalised for {cond}.", "The test results showed I have {cond}.",
        "I am pregnant and worried about taking {med}.", "My therapist thinks I have {cond}.",
        "I had surgery for {cond} and need time off.",
    ],
    "FINANCE": [
        "I owe {money} on {debt} and cannot pay.", "My salary is {money} a year before tax.",
        "I missed two payments on {debt}.", "My bank account is overdrawn by {money}.",
        "I am filing for bankruptcy because of {debt}.", "My credit score dropped after {debt}.",
        "I lost {money} in crypto last month.", "We can no longer afford {debt} payments.",
        "I have {money} in savings and {debt}.",
    ],
    "LEGAL": [
        "I was arrested for {legal}.", "My lawyer says {legal} could go either way.",
        "I am dealing with {legal} and need advice.", "I have {legal} on my record.",
        "The police charged me with {legal}.", "I received {legal} from my landlord.",
        "I am going through {legal} with {rel}.",
    ],
    "EMPLOYMENT": [
        "I was {job} yesterday.", "My manager {job} me after I complained.",
        "I think I am about to be {job}.", "I got {job} because of my health.",
        "HR told me I was {job} and I want to appeal.", "After ten years I was {job} without notice.",
    ],
    "IMMIGRATION": [
        "My {visa} was refused.", "I am waiting for my {visa} and my status expires soon.",
        "My {visa} application was denied because of a missing document.",
        "I overstayed my {visa} by two months.", "Can I travel while my {visa} is pending?",
        "My employer is sponsoring my {visa}.",
    ],
    "RELATIONSHIPS": [
        "{rel} has been cheating on me.", "I am thinking about leaving {rel}.",
        "{rel} and I fight every night.", "I found out {rel} is having an affair.",
        "{rel} is abusive when drunk.", "I am getting divorced from {rel}.",
        "I still have feelings for {rel}.",
    ],
    "LOCATION_ROUTINE": [
        "I leave {place} {time}.", "I walk to {place} alone {time}.",
        "You can find me at {place} {time}.", "My kids are at {place} {time} and the house is empty.",
        "I go to {place} {time}.",
    ],
    "NONE": [
        "Write {thing} for me.", "Can you improve {thing}?", "Please proofread {thing}.",
        "How do I make {thing} better?", "Give me ideas for {thing}.", "Translate {thing} into French.",
        "What is the best way to learn Python?", "Explain how a transformer model works.",
        "Summarise the plot of Hamlet.", "What is the capital of Canada?",
        "How do I fix a merge conflict in git?", "Write a SQL query that joins two tables.",
        "List the planets of the solar system.", "What does an interest rate mean for a bond?",
        "Explain the rules of chess.", "How does the immune system fight a virus?",
        "What are the main causes of inflation?", "How do visas work in general for tourists?",
        "Describe the history of the printing press.", "What is a healthy breakfast?",
        "Write a cover letter for a software engineering job.", "Draft a polite email to a customer.",
        "Create a marketing plan for a coffee shop.", "Explain the difference between a lawyer and a solicitor.",
        "What should be in a good resume?", "Give me a workout plan.",
    ],
}


def topic_samples(seed: int = 13, per_topic: int = 250) -> list[tuple[str, str]]:
    """``(sentence, label)`` pairs, ``per_topic`` of each topic and twice as many ``NONE``."""
    rng = random.Random(seed)
    out = []
    for label, templates in _TEMPLATES.items():
        n = per_topic * 2 if label == "NONE" else per_topic
        for _ in range(n):
            t = rng.choice(templates)
            s = t.format(**{k: rng.choice(v) for k, v in _FILL.items()})
            out.append((s[0].upper() + s[1:], label))
    return out
