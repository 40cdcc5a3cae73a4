/* The reports in the GUI's Statistics menu (and tshark -z tlsauth_table,...), from the report model. */
#ifndef TLSAUTH_REPORT_GUI_H
#define TLSAUTH_REPORT_GUI_H

void tlsauth_report_gui_register(void);

#endif
