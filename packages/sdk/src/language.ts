/**
 * Language tags as Python `langcodes.standardize_tag` normalises the ISO 639 codes found in
 * media containers: a three-letter ISO 639-2 code (terminology or bibliographic) that has a
 * two-letter ISO 639-1 equivalent becomes that (`eng` -> `en`, `ger` -> `de`), withdrawn
 * two-letter codes get their successors (`iw` -> `he`); subtags are
 * case-normalised (`en-us` -> `en-US`). Anything else is kept, lower-cased.
 *
 * The table is generated from Debian's iso-codes data (`/usr/share/iso-codes/json/iso_639-2.json`).
 */

/** ISO 639-2 code -> ISO 639-1 code, as `a:b` pairs separated by spaces. */
const PAIRS =
  'aar:aa abk:ab afr:af aka:ak alb:sq amh:am ara:ar arg:an arm:hy asm:as ava:av ave:ae aym:ay aze:az ' +
  'bak:ba bam:bm baq:eu bel:be ben:bn bih:bh bis:bi bod:bo bos:bs bre:br bul:bg bur:my cat:ca ces:cs ' +
  'cha:ch che:ce chi:zh chu:cu chv:cv cor:kw cos:co cre:cr cym:cy cze:cs dan:da deu:de div:dv dut:nl ' +
  'dzo:dz ell:el eng:en epo:eo est:et eus:eu ewe:ee fao:fo fas:fa fij:fj fin:fi fra:fr fre:fr fry:fy ' +
  'ful:ff geo:ka ger:de gla:gd gle:ga glg:gl glv:gv gre:el grn:gn guj:gu hat:ht hau:ha heb:he her:hz ' +
  'hin:hi hmo:ho hrv:hr hun:hu hye:hy ibo:ig ice:is ido:io iii:ii iku:iu ile:ie ina:ia ind:id ipk:ik ' +
  'isl:is ita:it jav:jv jpn:ja kal:kl kan:kn kas:ks kat:ka kau:kr kaz:kk khm:km kik:ki kin:rw kir:ky ' +
  'kom:kv kon:kg kor:ko kua:kj kur:ku lao:lo lat:la lav:lv lim:li lin:ln lit:lt ltz:lb lub:lu lug:lg ' +
  'mac:mk mah:mh mal:ml mao:mi mar:mr may:ms mkd:mk mlg:mg mlt:mt mon:mn mri:mi msa:ms mya:my nau:na ' +
  'nav:nv nbl:nr nde:nd ndo:ng nep:ne nld:nl nno:nn nob:nb nor:no nya:ny oci:oc oji:oj ori:or orm:om ' +
  'oss:os pan:pa per:fa pli:pi pol:pl por:pt pus:ps que:qu roh:rm ron:ro rum:ro run:rn rus:ru sag:sg ' +
  'san:sa sin:si slk:sk slo:sk slv:sl sme:se smo:sm sna:sn snd:sd som:so sot:st spa:es sqi:sq srd:sc ' +
  'srp:sr ssw:ss sun:su swa:sw swe:sv tah:ty tam:ta tat:tt tel:te tgk:tg tgl:tl tha:th tib:bo tir:ti ' +
  'ton:to tsn:tn tso:ts tuk:tk tur:tr twi:tw uig:ug ukr:uk urd:ur uzb:uz ven:ve vie:vi vol:vo wel:cy ' +
  'wln:wa wol:wo xho:xh yid:yi yor:yo zha:za zho:zh zul:zu ';

const ISO639_2_TO_1: ReadonlyMap<string, string> = new Map([
  ...PAIRS.trim().split(' ').map((p) => p.split(':') as [string, string]),
  // withdrawn ISO 639-1 codes that langcodes replaces
  ['in', 'id'], ['iw', 'he'], ['ji', 'yi'], ['jw', 'jv'], ['mo', 'ro'],
]);

/**
 * Normalise a language tag from a media file (see the module comment).
 * @example standardizeLanguageTag('eng') // 'en'
 */
export function standardizeLanguageTag(tag: string): string {
  const parts = tag.trim().split(/[-_]/);
  const primary = parts[0]!.toLowerCase();
  const out = [ISO639_2_TO_1.get(primary) ?? primary];
  for (const p of parts.slice(1)) {
    if (/^[a-z]{2}$/i.test(p)) out.push(p.toUpperCase());
    else if (/^[a-z]{4}$/i.test(p)) out.push(p[0]!.toUpperCase() + p.slice(1).toLowerCase());
    else out.push(p.toLowerCase());
  }
  return out.join('-');
}
