// Package numbering answers what public numbering plans say about an E.164
// number: its country calling code (ITU-T E.164 assignments), its country
// (ISO 3166-1 alpha-2), and, for a North American Numbering Plan number,
// the U.S. state or Canadian province of its area code. It is the
// emulator's source for the geography Twilio puts in webhooks (FromCountry,
// FromState, ...) and for a pool number's iso_country.
//
// It knows only what a number's digits tell: a code shared by several
// countries without a sub-prefix that tells them apart, a non-geographic
// or unassigned area code, an area code shared by provinces, gives "",
// never a guess. City and ZIP code are never known from the digits.
package numbering

import "strings"

// CallingCode returns the country calling code of an E.164 number (+ and
// digits), such as "1", "44" or "353"; "" when the number has no digits.
// Codes are one digit (1, 7), two digits (the ITU's list), else three.
func CallingCode(e164 string) string {
	d := digits(e164)
	switch {
	case d == "":
		return ""
	case d[0] == '1' || d[0] == '7':
		return d[:1]
	case len(d) >= 2 && twoDigit[d[:2]]:
		return d[:2]
	case len(d) >= 3:
		return d[:3]
	}
	return d
}

// Country returns the ISO 3166-1 alpha-2 code of the country an E.164
// number belongs to, such as "US", "CA", "GB" or "JM"; "" when its digits
// do not tell.
func Country(e164 string) string {
	d := digits(e164)
	cc := CallingCode(e164)
	if cc == "" {
		return ""
	}
	rest := d[len(cc):]
	if cc == "1" {
		if len(rest) < 3 {
			return ""
		}
		return nanp[rest[:3]].country
	}
	for _, p := range shared[cc] {
		if strings.HasPrefix(rest, p.prefix) {
			return p.country
		}
	}
	return countries[cc]
}

// Region returns the U.S. state (or district) or Canadian province of a
// NANP number's area code, as two letters such as "CA" or "ON"; "" for any
// other number, and for an area code that is not geographic, not assigned,
// or shared by several provinces.
func Region(e164 string) string {
	d := digits(e164)
	if len(d) < 4 || d[0] != '1' {
		return ""
	}
	return nanp[d[1:4]].region
}

// digits returns the digits after the + of an E.164 number, or "" when it
// is not + and digits.
func digits(e164 string) string {
	if len(e164) < 2 || e164[0] != '+' {
		return ""
	}
	for i := 1; i < len(e164); i++ {
		if e164[i] < '0' || e164[i] > '9' {
			return ""
		}
	}
	return e164[1:]
}

// area is what an area code tells: country, and state or province.
type area struct{ country, region string }

var (
	twoDigit  = map[string]bool{}
	countries = map[string]string{} // calling code -> country, for codes of one country
	nanp      = map[string]area{}   // NANP area code -> country and region
	// shared are the calling codes of several countries that a prefix
	// after the code tells apart; the code's main country is in countries.
	shared = map[string][]struct{ prefix, country string }{}
)

func init() {
	for _, c := range strings.Fields(twoDigitCodes) {
		twoDigit[c] = true
	}
	for _, f := range strings.Fields(countryCodes) {
		cc, iso, _ := strings.Cut(f, "=")
		countries[cc] = iso
	}
	for _, f := range strings.Fields(sharedCodes) {
		// cc/prefix=ISO
		key, iso, _ := strings.Cut(f, "=")
		cc, prefix, _ := strings.Cut(key, "/")
		shared[cc] = append(shared[cc], struct{ prefix, country string }{prefix, iso})
	}
	for _, line := range strings.Split(strings.TrimSpace(areaCodes), "\n") {
		// COUNTRY REGION: codes...   (REGION "-" for none)
		head, codes, _ := strings.Cut(line, ":")
		country, region, _ := strings.Cut(strings.TrimSpace(head), " ")
		if region == "-" {
			region = ""
		}
		for _, c := range strings.Fields(codes) {
			nanp[c] = area{country, region}
		}
	}
}

// twoDigitCodes are the ITU-T's two-digit country calling codes.
const twoDigitCodes = `20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58
60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98`

// countryCodes maps the calling codes of one country (or of one main
// country, see sharedCodes) to it. Codes shared with no prefix to tell
// the countries apart (590: Guadeloupe, Saint Barthélemy, Saint Martin)
// and codes of no country (800, 808, 870, 878, 881, 882, 883, 888, 979)
// are absent.
const countryCodes = `
20=EG 211=SS 212=MA 213=DZ 216=TN 218=LY 220=GM 221=SN 222=MR 223=ML 224=GN 225=CI 226=BF 227=NE 228=TG
229=BJ 230=MU 231=LR 232=SL 233=GH 234=NG 235=TD 236=CF 237=CM 238=CV 239=ST 240=GQ 241=GA 242=CG 243=CD
244=AO 245=GW 246=IO 248=SC 249=SD 250=RW 251=ET 252=SO 253=DJ 254=KE 255=TZ 256=UG 257=BI 258=MZ 260=ZM
261=MG 262=RE 263=ZW 264=NA 265=MW 266=LS 267=BW 268=SZ 269=KM 27=ZA 290=SH 291=ER 297=AW 298=FO 299=GL
30=GR 31=NL 32=BE 33=FR 34=ES 350=GI 351=PT 352=LU 353=IE 354=IS 355=AL 356=MT 357=CY 358=FI 359=BG 36=HU
370=LT 371=LV 372=EE 373=MD 374=AM 375=BY 376=AD 377=MC 378=SM 380=UA 381=RS 382=ME 385=HR 386=SI 387=BA
389=MK 39=IT 40=RO 41=CH 420=CZ 421=SK 423=LI 43=AT 44=GB 45=DK 46=SE 47=NO 48=PL 49=DE
500=FK 501=BZ 502=GT 503=SV 504=HN 505=NI 506=CR 507=PA 508=PM 509=HT 51=PE 52=MX 53=CU 54=AR 55=BR 56=CL
57=CO 58=VE 591=BO 592=GY 593=EC 594=GF 595=PY 596=MQ 597=SR 598=UY
60=MY 61=AU 62=ID 63=PH 64=NZ 65=SG 66=TH 670=TL 673=BN 674=NR 675=PG 676=TO 677=SB 678=VU 679=FJ 680=PW
681=WF 682=CK 683=NU 685=WS 686=KI 687=NC 688=TV 689=PF 690=TK 691=FM 692=MH
7=RU 81=JP 82=KR 84=VN 850=KP 852=HK 853=MO 855=KH 856=LA 86=CN 880=BD 886=TW
90=TR 91=IN 92=PK 93=AF 94=LK 95=MM 960=MV 961=LB 962=JO 963=SY 964=IQ 965=KW 966=SA 967=YE 968=OM 970=PS
971=AE 972=IL 973=BH 974=QA 975=BT 976=MN 977=NP 98=IR 992=TJ 993=TM 994=AZ 995=GE 996=KG 998=UZ`

// sharedCodes are the prefixes, after a shared calling code, of its other
// countries: Kazakhstan in +7, Mayotte in +262, the Åland Islands in
// +358, Vatican City in +39, Guernsey, Jersey and the Isle of Man in +44,
// Svalbard in +47, Christmas and Cocos Islands in +61, Norfolk Island in
// +672, Curaçao and the Caribbean Netherlands in +599.
const sharedCodes = `
7/6=KZ 7/7=KZ 262/269=YT 262/639=YT 358/18=AX 39/06698=VA
44/1481=GG 44/7781=GG 44/7839=GG 44/7911=GG 44/1534=JE 44/7509=JE 44/7700=JE 44/7797=JE 44/7829=JE 44/7937=JE
44/1624=IM 44/7524=IM 44/7624=IM 44/7924=IM 47/79=SJ 61/89162=CC 61/89164=CX 672/3=NF
599/9=CW 599/3=BQ 599/4=BQ 599/7=BQ`

// areaCodes are the geographic NANP area codes in service, by country and
// region (the U.S. state or district, the Canadian province; "-" for a
// country without regions, or area codes shared by provinces: 782 and 902
// serve Nova Scotia and Prince Edward Island, 867 the three territories).
// Area codes not listed (toll-free, non-geographic, unassigned, or newly
// assigned) give "".
const areaCodes = `
US AL: 205 251 256 334 659 938
US AK: 907
US AZ: 480 520 602 623 928
US AR: 327 479 501 870
US CA: 209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951
US CO: 303 719 720 970 983
US CT: 203 475 860 959
US DE: 302
US DC: 202 771
US FL: 239 305 321 324 352 386 407 448 561 645 656 689 727 754 772 786 813 850 863 904 941 954
US GA: 229 404 470 478 678 706 762 770 912
US HI: 808
US ID: 208 986
US IL: 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872
US IN: 219 260 317 463 574 765 812 930
US IA: 319 515 563 641 712
US KS: 316 620 785 913
US KY: 270 364 502 606 859
US LA: 225 318 337 504 985
US ME: 207
US MD: 227 240 301 410 443 667
US MA: 339 351 413 508 617 774 781 857 978
US MI: 231 248 269 313 517 586 616 679 734 810 906 947 989
US MN: 218 320 507 612 651 763 952
US MS: 228 601 662 769
US MO: 314 417 557 573 636 660 816
US MT: 406
US NE: 308 402 531
US NV: 702 725 775
US NH: 603
US NJ: 201 551 609 640 732 848 856 862 908 973
US NM: 505 575
US NY: 212 315 332 347 363 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934
US NC: 252 336 704 743 828 910 919 980 984
US ND: 701
US OH: 216 220 234 283 326 330 380 419 440 513 567 614 740 937
US OK: 405 539 572 580 918
US OR: 458 503 541 971
US PA: 215 223 267 272 412 445 484 570 582 610 717 724 814 835 878
US RI: 401
US SC: 803 839 843 854 864
US SD: 605
US TN: 423 615 629 731 865 901 931
US TX: 210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979
US UT: 385 435 801
US VT: 802
US VA: 276 434 540 571 703 757 804 826 948
US WA: 206 253 360 425 509 564
US WV: 304 681
US WI: 262 274 414 534 608 715 920
US WY: 307
PR -: 787 939
VI -: 340
GU -: 671
MP -: 670
AS -: 684
CA AB: 403 587 780 825
CA BC: 236 250 604 672 778
CA MB: 204 431 584
CA NB: 428 506
CA NL: 709 879
CA ON: 226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 807 905
CA QC: 263 354 367 418 438 450 514 579 581 819 873
CA SK: 306 474 639
CA -: 782 902 867
BS -: 242
BB -: 246
AI -: 264
AG -: 268
VG -: 284
KY -: 345
BM -: 441
GD -: 473
TC -: 649
JM -: 658 876
MS -: 664
SX -: 721
LC -: 758
DM -: 767
VC -: 784
DO -: 809 829 849
TT -: 868
KN -: 869`
