#!/usr/bin/env bash
# Rebuilds Winnow's default language-ID model, Sources/WinnowLangID/Resources/winnow-lid.ftz, with Winnow's
# own trainer (115 languages; see docs/langid.md, "Default model"). The training text is the UI strings of
# ../shared/lid/train.ft.zst plus prose from the Debian 12 packages pinned below (manual pages, fortunes,
# FAQ, reference, guides), fetched with `apt-get download` and unpacked with `dpkg-deb -x`
# (Scripts/build_lid_training_text.py turns them into fastText lines). The product never needs them.
# One thread throughout, so the result is the same file on every run (its SHA-256 is in docs/langid.md).
#
# Usage (from the repository root): bash Scripts/build-default-lid-model.sh [UI_TRAIN_FT_ZST] [WORKDIR]
# (WINNOW=path/to/winnow uses that binary instead of building one.)
set -euo pipefail
UI_TRAIN=${1:-../shared/lid/train.ft.zst}
WORK=${2:-/tmp/winnow-lid-build}
OUT=Sources/WinnowLangID/Resources/winnow-lid.ftz
# The SHA-256 of the training text these packages and the UI strings give (docs/langid.md).
TRAIN_SHA256=ef617a97eb7948fea06e47fa59197e0de8aeff8bc5c9f91e53c6b266b5381b35
PACKAGES=(
  manpages=6.03-2 manpages-cs=4.18.1-1 manpages-da=4.18.1-1 manpages-de=4.18.1-1 manpages-el=4.18.1-1
  manpages-es=4.18.1-1 manpages-fi=4.18.1-1 manpages-fr=4.18.1-1 manpages-hu=1:4.18.1-1 manpages-id=4.18.1-1
  manpages-it=4.18.1-1 manpages-mk=4.18.1-1 manpages-nb=4.18.1-1 manpages-nl=4.18.1-1 manpages-pl=1:4.18.1-1
  manpages-pt-br=4.18.1-1 manpages-ro=4.18.1-1 manpages-ru=4.18.1-1 manpages-sr=4.18.1-1 manpages-sv=4.18.1-1
  manpages-uk=4.18.1-1 manpages-vi=4.18.1-1 manpages-ja=0.5.0.0.20221215+dfsg-1 manpages-pt=20040726-8
  manpages-tr=2.0.6-2 manpages-zh=1.6.4.0-1
  fortunes-min=1:1.99.1-7.3 fortunes-bg=1.4 fortunes-br=20220821 fortunes-cs=2.0.9-1.1 fortunes-de=0.35-1
  fortunes-eo=20020729b-1.1 fortunes-es=1.36 fortunes-ga=0.10+nmu1 fortunes-it=1.99-4.1
  fortunes-pl=0.0.20130525-3 fortunes-ru=1.52-3.1 fortunes-zh=2.98
  debian-faq-de=11.1 debian-faq-fr=11.1 debian-faq-it=11.1 debian-faq-ja=11.1 debian-faq-ko=11.1
  debian-faq-nl=11.1 debian-faq-pt=11.1 debian-faq-ru=11.1 debian-faq-zh-cn=11.1
  debian-reference-de=2.100 debian-reference-es=2.100 debian-reference-fr=2.100 debian-reference-id=2.100
  debian-reference-it=2.100 debian-reference-ja=2.100 debian-reference-pt=2.100 debian-reference-pt-br=2.100
  debian-reference-zh-cn=2.100 debian-reference-zh-tw=2.100
  maint-guide-ca=1.2.53 maint-guide-de=1.2.53 maint-guide-es=1.2.53 maint-guide-fr=1.2.53 maint-guide-it=1.2.53
  maint-guide-ja=1.2.53 maint-guide-ru=1.2.53 maint-guide-vi=1.2.53 maint-guide-zh-cn=1.2.53
  maint-guide-zh-tw=1.2.53
  installation-guide-amd64=20230508+deb12u1
)
mkdir -p "$WORK/debs" "$WORK/packages"
if [ -z "${WINNOW:-}" ]; then
  swift build -c release --product winnow >/dev/null
  WINNOW="$(swift build -c release --show-bin-path)/winnow"
fi

for spec in "${PACKAGES[@]}"; do
  name=${spec%%=*}
  if [ ! -d "$WORK/packages/$name" ]; then
    (cd "$WORK/debs" && apt-get download -qq "$spec")
    dpkg-deb -x "$WORK/debs/${name}_"*.deb "$WORK/packages/$name"
  fi
done
python3 Scripts/build_lid_training_text.py "$WORK/packages" "$UI_TRAIN" "$WORK/train.ft"
if [ "$(sha256sum < "$WORK/train.ft" | cut -d' ' -f1)" != "$TRAIN_SHA256" ]; then
  echo "warning: $WORK/train.ft differs from the training text of the shipped model (SHA-256 $TRAIN_SHA256):" \
       "other package versions or another UI_TRAIN; the model will differ too" >&2
fi

# The hyperparameters of the default model (docs/langid.md explains the choice).
/usr/bin/time -f "train: %e s wall, %U s user" \
  "$WINNOW" langid train --input "$WORK/train.ft" --output "$WORK/winnow-lid.bin" \
  --dim 16 --minn 2 --maxn 4 --epoch 5 --lr 0.5 --bucket 2000000 --loss softmax --threads 1 --seed 0
/usr/bin/time -f "quantize: %e s wall, %U s user" \
  "$WINNOW" langid quantize "$WORK/winnow-lid.bin" --output "$OUT" \
  --cutoff 100000 --dsub 2 --qnorm --retrain --input "$WORK/train.ft" --epoch 5 --lr 0.5 --threads 1
ls -l "$OUT"
sha256sum "$OUT"
