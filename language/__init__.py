"""Text tools shared by the Rasa components, the actions, the bridges and the console: one jieba
set-up, normalising, language detection, spaCy masking of personal data and places, moderation and
emergency rules, search tokens. No database, no Rasa."""
