"""The form a reader fills in to tell the editors about a guide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.feedback.models import Feedback

MAX_COMMENT_LENGTH = 1000


class FeedbackForm(forms.Form):
    """A reason (required when reporting a problem) and an optional comment. `website` is a
    trap for robots that fill in every field: people never see it."""

    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Feedback.Reason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything else? (optional)"),
        help_text=_("Please do not write your name, number or other personal details."),
        max_length=MAX_COMMENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_COMMENT_LENGTH}),
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Feedback.Kind.PROBLEM:
            self.fields["reason"].required = True
        if kind == Feedback.Kind.HELPFUL:
            del self.fields["reason"]

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
