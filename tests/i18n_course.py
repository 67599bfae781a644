"""A course in Spanish for the i18n tests: the starter course of ``coursegen init`` with
``theme.language: es``, a second module left in English, and ``modules/es/welcome.yml``, a
Spanish translation of the first module."""

from __future__ import annotations

import re
from pathlib import Path

from coursegen.scaffold import init_project

WELCOME_ES = """\
id: welcome
title: Bienvenida
summary: Un primer módulo para mostrar cómo es un módulo de coursegen.
audiences: [everyone]
duration_minutes: 10
objectives:
  - Explicar cómo se combinan las lecciones, las preguntas de repaso y el cuestionario
lessons:
  - title: Cómo funciona este curso
    body: |
      Cada módulo tiene **lecciones**, **preguntas de repaso** breves y un **cuestionario**.
    checks:
      - id: check-where-results
        type: true_false
        prompt: Los resultados de los cuestionarios se envían a un servidor.
        answer: false
        true_feedback: No. Los resultados se quedan en su navegador.
        false_feedback: Correcto. Los resultados se quedan en su navegador.
        explanation: coursegen guarda los resultados en el almacenamiento local del navegador.
    facilitator_notes: Dé cinco minutos para leer y luego conversen.
    discussion:
      - ¿Qué espera aprender?
key_points:
  - Primero las lecciones, luego las preguntas de repaso y al final el cuestionario
quiz:
  pass_mark: 80
  questions:
    - id: q-parts
      type: single
      prompt: ¿Qué hay al final de un módulo?
      choices:
        - text: Un cuestionario
          correct: true
          feedback: Sí. El cuestionario comprueba lo que aprendió.
        - text: Nada más
          feedback: No exactamente. Cada módulo termina con un cuestionario.
        - text: Un certificado para imprimir
          feedback: No exactamente. Cada módulo termina con un cuestionario, sin certificado.
      explanation: Los módulos terminan con un cuestionario que comenta cada respuesta.
      assesses: [1]
    - id: q-feedback
      type: multiple
      prompt: ¿Qué ve después de revisar sus respuestas?
      choices:
        - text: Comentarios sobre cada respuesta que eligió
          correct: true
          feedback: Sí, cada opción tiene comentarios.
        - text: Su puntuación
          correct: true
          feedback: Sí, junto con la nota para aprobar.
        - text: Las respuestas de otras personas
          feedback: No. Los resultados se quedan en su propio navegador.
        - text: Una nota enviada a su supervisor
          feedback: No. Los resultados se quedan en su navegador; no se envía nada.
      explanation: Cada respuesta recibe comentarios y el cuestionario muestra la puntuación y la nota para aprobar.
      assesses: [1]
resources:
  - title: Documentación de coursegen
    url: https://example.org/
    kind: website
"""

SECOND_MODULE = """\
id: second-steps
title: Second steps
summary: A module nobody has translated yet.
audiences: [everyone]
duration_minutes: 5
objectives:
  - Say where quiz results are kept
lessons:
  - title: Where results go
    body: |
      Results stay in this browser.
quiz:
  pass_mark: 50
  questions:
    - id: q-where
      type: true_false
      prompt: Your quiz results stay in this browser.
      answer: true
      true_feedback: Right. Nothing is sent to a server.
      false_feedback: Not quite. Results are kept only in this browser.
      explanation: coursegen keeps quiz results in the browser's local storage.
"""

GLOSSARY = """\
glossary:
  - term: Pass mark
    definition: The score in percent a learner needs to pass a module quiz.
"""


def make_spanish_course(project: Path, *, site_url: str = "http://127.0.0.1:8000/") -> Path:
    """The Spanish course at ``project`` (mkdocs.yml with ``theme.language: es`` and an English
    alternate at ``/en/``, so module pages show their language switch)."""
    init_project(project, "Curso de prueba")
    modules = project / "modules"
    (modules / "second-steps.yml").write_text(SECOND_MODULE, encoding="utf-8")
    course = (modules / "course.yml").read_text(encoding="utf-8")
    course = course.replace("  - welcome\n", "  - welcome\n  - second-steps\n", 1)
    (modules / "course.yml").write_text(course + GLOSSARY, encoding="utf-8")
    (modules / "es").mkdir()
    (modules / "es" / "welcome.yml").write_text(WELCOME_ES, encoding="utf-8")
    mkdocs_yml = project / "mkdocs.yml"
    config = mkdocs_yml.read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_url:.*$", f"site_url: {site_url}", config)
    config = config.replace("  name: material\n", "  name: material\n  language: es\n", 1)
    config += "extra:\n  alternate:\n    - name: English\n      link: /en/\n      lang: en\n"
    config += "    - name: Español\n      link: /\n      lang: es\n"
    mkdocs_yml.write_text(config, encoding="utf-8")
    return project
