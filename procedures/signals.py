"""When a carrier, region or document changes, the guide pages that show it are brought up to
date and rendered again (refresh.py: once per change set), and the page cache's tags for it are
bumped (kb/pagecache/). Publishing bumps its own tags in services."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from kb import pagecache
from procedures.models import Carrier, ContactNumber, Document, Procedure, Region, RegionSource
from procedures.publishing import refresh, tags
from procedures.translations import status as translation_status


@receiver(post_save, sender=Carrier)
def carrier_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh.changed("carrier", instance.pk)
    pagecache.bump(tags.carrier(instance.pk), tags.GUIDES)


@receiver(post_delete, sender=Carrier)
def carrier_deleted(sender, instance, **kwargs):
    pagecache.bump(tags.carrier(instance.pk), tags.GUIDES)


@receiver([post_save, post_delete], sender=ContactNumber)
def contact_number_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh.changed("carrier", instance.carrier_id)
    pagecache.bump(tags.carrier(instance.carrier_id))


@receiver(post_save, sender=Region)
def region_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh.changed("region", instance.pk)
    pagecache.bump(tags.region(instance.pk), tags.GUIDES)


@receiver(post_delete, sender=Region)
def region_deleted(sender, instance, **kwargs):
    pagecache.bump(tags.region(instance.pk), tags.GUIDES)


@receiver([post_save, post_delete], sender=RegionSource)
def region_source_changed(sender, instance, **kwargs):
    pagecache.bump(tags.region(instance.region_id))


@receiver(pre_save, sender=Document)
def document_saving(sender, instance, raw=False, **kwargs):
    # Publications list documents by slug: remember the slug a rename replaces.
    if instance.pk and not raw:
        instance._old_slug = (
            Document.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


@receiver(post_save, sender=Document)
def document_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh.changed("document", instance.pk, old_slug=getattr(instance, "_old_slug", None))
    pagecache.bump(tags.GUIDES)


@receiver(post_delete, sender=Document)
def document_deleted(sender, instance, **kwargs):
    pagecache.bump(tags.GUIDES)


@receiver(post_delete, sender=Procedure)
def procedure_deleted(sender, instance, **kwargs):
    # Its publications went with it (cascade): lists and its page must not keep showing it.
    pagecache.bump(tags.guide(instance.pk), tags.GUIDES)


def _forget_translations(sender, instance, **kwargs):
    translation_status.forget(instance)


for _model in translation_status.tracked_models():
    post_delete.connect(
        _forget_translations, sender=_model, dispatch_uid=f"forget-{_model.__name__}"
    )
