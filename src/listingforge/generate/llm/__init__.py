"""The ``llm`` generator (registered as ``llm``): templates, few-shot retrieval, parsing, a backend."""

from .fewshot import FewShotIndex
from .generator import GenerationRequest, LLMConfig, LLMGenerator, RunStats
from .parsing import Parsed, ParseFailure, parse
from .prompts import render_messages

__all__ = ["FewShotIndex", "GenerationRequest", "LLMConfig", "LLMGenerator", "ParseFailure", "Parsed",
           "RunStats", "parse", "render_messages"]
