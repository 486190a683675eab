"""Jieba tokenizer that reads Traditional, full-width and upper-case input as Simplified lower case."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from language.text import jieba_tokenizer, normalise
from rasa_addons.topic_model import MAX_CHARS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class NormalisingJiebaTokenizer(JiebaTokenizer):
    """Tokens carry normalised text at the original offsets (normalising keeps the length)."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = normalise((message.get(attribute) or "")[:MAX_CHARS])
        pieces = list(jieba_tokenizer().tokenize(text))
        tokens = [Token(word, start) for word, start, _ in pieces if word.strip()]
        if not tokens:
            tokens = [Token(word, start) for word, start, _ in pieces]
        return self._apply_token_pattern(tokens)
