"""Audit the questionnaire: is it fair, can every role win, which roles are
easily confused and which questions tell them apart."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roles.questionnaire.audit import (
    AUDIT_RESPONDENTS,
    AUDIT_SEED,
    FAIR_HIGH,
    FAIR_LOW,
    audit,
)
from roles.questionnaire.selectors import blind_personas, load_questionnaire


class Command(BaseCommand):
    help = (
        "Per-role coverage and best attainable score, reachability, the top-role "
        "distribution over seeded random respondents, and the most confusable "
        "role pairs with the questions that separate them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--respondents", "-n", type=int, default=AUDIT_RESPONDENTS)
        parser.add_argument("--seed", type=int, default=AUDIT_SEED)
        parser.add_argument("--pairs", type=int, default=5, help="Pairs to list.")
        parser.add_argument(
            "--drafts", action="store_true", help="Include draft and scheduled items."
        )
        parser.add_argument(
            "--no-reachability",
            action="store_true",
            help="Skip the search for a winning answer set per role (slow for "
            "very large catalogues).",
        )
        parser.add_argument("--json", action="store_true", help="Machine-readable.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit with an error when the audit does not pass.",
        )

    def handle(self, *args, **options) -> None:
        if options["respondents"] < 1:
            raise CommandError("--respondents must be at least 1.")
        report = audit(
            load_questionnaire(include_drafts=options["drafts"]),
            respondents=options["respondents"],
            seed=options["seed"],
            pair_count=options["pairs"],
            reachability=not options["no_reachability"],
            blind=blind_personas(),
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.to_json(), indent=2))
        else:
            self._print(report)
        if options["strict"] and not report.passed:
            raise CommandError("The questionnaire does not pass its audit.")

    def _print(self, report) -> None:
        out = self.stdout.write
        out(
            f"{report.question_count} questions, about {report.minutes} min. "
            f"{report.respondents} random respondents, seed {report.seed}; "
            f"fair share bounds {FAIR_LOW}-{FAIR_HIGH}; chi-square {report.chi_square}."
        )
        out("")
        out(
            f"{'role':32} {'cover':>5} {'best':>6} {'reach':>6} {'top':>6} {'x fair':>7}"
        )
        for r in report.roles:
            reach = "-" if r.reachable is None else ("yes" if r.reachable else "NO")
            flag = "" if r.fair else "  UNFAIR"
            out(
                f"{r.name:32} {r.coverage:>5} {r.best:>6.1f} {reach:>6} "
                f"{r.top_count:>6} {r.ratio:>7.2f}{flag}"
            )
        out("")
        figures = report.figures()
        rnd, cover = figures["random"], figures["coverage"]
        out(
            f"Random answers: top share {rnd['top_share_min']}-{rnd['top_share_max']} "
            f"(fair {rnd['fair_share']}), clear match {rnd['clear_rate']:.1%} "
            f"(threshold {rnd['clear_threshold']}), median top match "
            f"{rnd['median_top_match']} %. Coverage {cover['min_items']}-"
            f"{cover['max_items']} items per role."
        )
        flow = figures["adaptive"]
        if flow["mean_questions"] is not None:
            out(
                f"Adaptive flow: {flow['mean_questions']} questions on average, "
                f"same leading role as the full questionnaire for "
                f"{flow['agreement']:.1%} of {flow['respondents']} simulated respondents."
            )
        blind = figures["personas"]
        if blind["count"]:
            out(
                f"Blind personas: {blind['top1']} of {blind['count']} get their role "
                f"first; {blind['noisy_top1']:.1%} with 20 % of answers at random "
                f"(lowest role {blind['noisy_top1_min_role']:.1%}); adaptive flow "
                f"agrees for {blind['adaptive_agreement']:.1%} in "
                f"{blind['adaptive_mean_questions']} questions."
            )
        out("Targets:")
        for check in report.checks():
            status = {True: "met", False: "MISSED", None: "not measured"}[check.met]
            out(
                f"  {check.figure:34} {status:12} {check.value} (target: {check.target})"
            )
        out(
            "Verdicts for random answers: "
            + ", ".join(f"{k} {v}" for k, v in sorted(report.verdicts.items()))
        )
        out("")
        out("Most confusable pairs (correlation of scores), separated best by:")
        for p in report.pairs:
            out(f"  {p.a_name} / {p.b_name}: {p.correlation}")
            for s in p.separators:
                out(f"    - {s.key} ({s.separation}): {s.text}")
        for q in report.flat:
            out(f"Question gives every role the same points: {q.key}")
        out("")
        out("PASS" if report.passed else "FAIL")
