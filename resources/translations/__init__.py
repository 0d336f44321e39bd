"""Qt translations: veldwerk_en.ts is committed; scripts/translations.sh builds veldwerk_en.qm."""
